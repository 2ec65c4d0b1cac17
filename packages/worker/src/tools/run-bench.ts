// The latency benchmark itself, runtime-neutral (Node or a Web Worker): replays
// cases as typing sessions through the model predictor in each decoding mode
// (same model, same run) and reports latency, forward passes, KV-cache reuse,
// draft acceptance and whether the modes agree. Callers load the models.
import {
  getPromptFormat,
  ModelPredictor,
  percentile,
  PrefixCache,
  scoreCandidates,
  type CausalLM,
  type DecodeMode,
  type EditCase,
  type EditPrediction,
  type PredictRequest,
  type Tokenizer,
  type WarmStats,
} from '@nextedit/core';
import { configuredOptions } from '../runtime/create-predictor.js';
import type { LoadedModel } from '../runtime/load-model.js';
import { CountingLM } from './counting-lm.js';
import { replaySession, typingSession } from './replay.js';

export interface RunBenchOptions {
  main: LoadedModel;
  /** The draft for 'speculative+draft'; the main model drafts for itself when it is the same. */
  draft: LoadedModel;
  tokenizer: Tokenizer;
  cases: EditCase[];
  /** Confidence floor; default the model config's, as the product runs (0: decode everything). */
  minConfidence?: number;
  /** false: the draft model proposes at every chance instead of where it is measured to pay (ModelPredictor's adaptiveDraft). */
  adaptiveDraft?: boolean;
  /**
   * Warm the predictor before each session, as the extension does in the pause before
   * the user types (default true); false: every session's first request starts cold.
   */
  warm?: boolean;
  /** Keystrokes replayed per case (the last ones of its last event). */
  keys?: number;
  /** Names for the header line (paths as the user gave them). */
  names?: { model: string; draft: string };
  /** Human-readable result lines (a header, one per mode, the cache line). */
  log?(line: string): void;
  /** Finer progress while it runs: one line per case and mode. */
  progress?(line: string): void;
}

export interface BenchSummary {
  backend: string;
  /** Threads the main model ran with (WASM's, or onnxruntime-node's intra-op ones). */
  threads: number;
  cases: number;
  greedy: { forward_passes: number; wall_ms: number };
  speculative: { forward_passes: number; wall_ms: number };
  speculative_draft: { forward_passes: number; wall_ms: number; draft_acceptance: number };
  identical: boolean;
  cache_hit_ratio: number;
  /**
   * The warm-ups before each speculative session (`warmed`: false when turned off): their
   * prefill tokens, how many of those were already cached, passes, and time (spent in the
   * pause, so not in the keystroke latencies; in each mode's wall time).
   */
  warm: { warmed: boolean; sessions: number; prompt_tokens: number; cached_tokens: number; forward_passes: number; p50_ms: number };
  p50_ms: number;
  p95_ms: number;
  /**
   * Speculative requests that showed nothing (the model held back, or answered no-edit): how
   * many (`of` all speculative requests), and what each cost the user in waiting (p50/p95 ms).
   */
  held_back: { requests: number; of: number; p50_ms: number; p95_ms: number };
  /**
   * Verifying candidates: scoring SCORED_CANDIDATES answers of SCORED_TOKENS
   * tokens each over the cached prompt, against decoding the same answers one
   * token a pass (greedy); ratio = score / greedy wall time.
   */
  scoring: { candidates: number; tokens_each: number; score_ms: number; greedy_ms: number; ratio: number };
}

/** The summary's keys, in order (tests and callers check against this). */
export const BENCH_SUMMARY_KEYS = [
  'backend', 'threads', 'cases', 'greedy', 'speculative', 'speculative_draft', 'identical', 'cache_hit_ratio', 'warm', 'p50_ms', 'p95_ms', 'held_back', 'scoring',
] as const;

const SCORED_CANDIDATES = 8;
const SCORED_TOKENS = 30;

/**
 * Wall time of scoring candidate answers over one cached prompt against
 * decoding the same answers token by token (what writing them would cost).
 * The answers are slices of the prompt's own draft: their content does not
 * change the cost.
 */
async function measureScoring(lm: CausalLM, tokenizer: Tokenizer, format: string, aligned: boolean, requests: PredictRequest[]) {
  const f = getPromptFormat(format);
  let scoreMs = 0;
  let greedyMs = 0;
  for (const request of requests) {
    const prompt = f.build(request, tokenizer);
    const source = prompt.draft.length >= SCORED_TOKENS ? prompt.draft : [...prompt.draft, ...prompt.tokens];
    const candidates = Array.from({ length: SCORED_CANDIDATES }, (_, i) => {
      const at = Math.floor((i * Math.max(0, source.length - SCORED_TOKENS)) / SCORED_CANDIDATES);
      return source.slice(at, at + SCORED_TOKENS);
    });
    await lm.truncate(0);
    const cache = new PrefixCache(lm, aligned);
    const place = { positions: prompt.positions, nextPosition: prompt.nextPosition };
    await cache.prefill(prompt.tokens, undefined, prompt.positions);
    let t = performance.now();
    await scoreCandidates(cache, prompt.tokens, candidates, place);
    scoreMs += performance.now() - t;
    t = performance.now();
    for (const c of candidates) {
      await cache.prefill(prompt.tokens, undefined, prompt.positions);
      for (const token of c.slice(0, -1)) await cache.append([token]);
      await cache.truncate(prompt.tokens.length);
    }
    greedyMs += performance.now() - t;
  }
  return {
    candidates: SCORED_CANDIDATES,
    tokens_each: SCORED_TOKENS,
    score_ms: round(scoreMs),
    greedy_ms: round(greedyMs),
    ratio: greedyMs ? Math.round((scoreMs / greedyMs) * 1000) / 1000 : 0,
  };
}

interface ModeResult {
  forward_passes: number;
  wall_ms: number;
  draft_proposed: number;
  draft_accepted: number;
  prompt_tokens: number;
  cached_tokens: number;
  latencies: number[];
  /** Latencies of the requests that showed nothing. */
  heldBack: number[];
  outputs: string[];
  warms: WarmStats[];
}

const round = (x: number) => Math.round(x * 10) / 10;

export async function runBench(opts: RunBenchOptions): Promise<BenchSummary> {
  const { main, draft, tokenizer, cases } = opts;
  const keys = opts.keys ?? 8;
  const log = opts.log ?? (() => undefined);
  const progress = opts.progress ?? (() => undefined);
  const names = opts.names ?? { model: 'model', draft: 'draft' };
  log(`model ${names.model} (${main.backend}, ${main.threads} thread(s)), draft ${names.draft} (${opts.adaptiveDraft === false ? 'proposes always' : 'used where it pays'}), ${cases.length} cases`);

  const modes: DecodeMode[] = ['greedy', 'speculative', 'speculative+draft'];
  const configured = configuredOptions(main, draft);
  const runs = modes.map((mode) => {
    const counted = new CountingLM(main.lm);
    const predictor = new ModelPredictor({
      ...configured,
      model: counted,
      tokenizer,
      draftModel: mode === 'speculative+draft' ? draft.lm : undefined,
      mode,
      minConfidence: opts.minConfidence ?? configured.minConfidence,
      adaptiveDraft: opts.adaptiveDraft,
    });
    const r: ModeResult = { forward_passes: 0, wall_ms: 0, draft_proposed: 0, draft_accepted: 0, prompt_tokens: 0, cached_tokens: 0, latencies: [], heldBack: [], outputs: [], warms: [] };
    return { mode, counted, predictor, r };
  });

  // Modes take turns case by case, so slow drift over the run (garbage
  // collection, the runtime's arenas, other load on the machine) hits every
  // mode alike: run one after another, the last mode ran up to 40% slower.
  for (const [i, c] of cases.entries()) {
    for (const { mode, counted, predictor, r } of runs) {
      // Each mode starts each case from an empty cache, so passes are comparable.
      await main.lm.truncate(0);
      await draft.lm.truncate(0);
      const tc = performance.now();
      let last: EditPrediction | null = null;
      const session = replaySession(c, keys);
      if (opts.warm !== false) r.warms.push(await predictor.warm(session.paused));
      for (const request of session.requests) {
        const t = performance.now();
        counted.beginRequest();
        last = await predictor.predict(request);
        r.latencies.push(performance.now() - t);
        if (!last) r.heldBack.push(performance.now() - t);
        // Held-back predictions decoded too: count their drafts as well.
        r.draft_proposed += predictor.lastStats?.draftProposed ?? 0;
        r.draft_accepted += predictor.lastStats?.draftAccepted ?? 0;
      }
      const ms = performance.now() - tc;
      r.wall_ms += ms;
      r.outputs.push(JSON.stringify(last?.edits ?? null));
      progress(`${mode}: case ${i + 1}/${cases.length} (${c.id}) ${ms.toFixed(0)} ms, ${counted.forwardPasses} forward passes so far`);
    }
  }
  for (const { mode, counted, r } of runs) {
    r.forward_passes = counted.forwardPasses;
    r.prompt_tokens = counted.promptTokens;
    r.cached_tokens = counted.cachedTokens;
    log(`${mode.padEnd(18)} forward passes ${r.forward_passes}, wall ${r.wall_ms.toFixed(0)} ms, p50 ${percentile(r.latencies, 50).toFixed(1)} ms, p95 ${percentile(r.latencies, 95).toFixed(1)} ms, draft ${r.draft_accepted}/${r.draft_proposed}`);
  }
  const lastRequests = cases.map((c) => [...typingSession(c, keys)].at(-1)!).filter(Boolean);
  const scoring = await measureScoring(main.lm, tokenizer, configured.format as string, configured.alignedPositions ?? false, lastRequests);
  log(`scoring ${scoring.candidates} candidates of ${scoring.tokens_each} tokens: ${scoring.score_ms} ms vs ${scoring.greedy_ms} ms decoding them (ratio ${scoring.ratio})`);
  const [greedy, spec, specDraft] = runs.map((x) => x.r) as [ModeResult, ModeResult, ModeResult];
  const identical = greedy.outputs.every((o, i) => o === spec.outputs[i] && o === specDraft.outputs[i]);
  const cacheHit = spec.prompt_tokens ? spec.cached_tokens / spec.prompt_tokens : 0;
  log(`prompt tokens from KV cache: ${(cacheHit * 100).toFixed(1)}%; modes identical: ${identical}`);
  const warm = {
    warmed: opts.warm !== false,
    sessions: spec.warms.length,
    prompt_tokens: spec.warms.reduce((n, w) => n + w.promptTokens, 0),
    cached_tokens: spec.warms.reduce((n, w) => n + w.cachedTokens, 0),
    forward_passes: spec.warms.reduce((n, w) => n + w.forwardPasses, 0),
    p50_ms: round(percentile(spec.warms.map((w) => w.latencyMs), 50)),
  };
  log(warm.warmed
    ? `warm-ups (speculative): ${warm.sessions}, ${warm.prompt_tokens} prefix tokens (${warm.cached_tokens} already cached), ${warm.forward_passes} passes, p50 ${warm.p50_ms} ms`
    : 'warm-ups: off (each session starts cold)');
  const heldBack = { requests: spec.heldBack.length, of: spec.latencies.length, p50_ms: round(percentile(spec.heldBack, 50)), p95_ms: round(percentile(spec.heldBack, 95)) };
  log(`held back (speculative): ${heldBack.requests} of ${spec.latencies.length} requests showed nothing, p50 ${heldBack.p50_ms} ms, p95 ${heldBack.p95_ms} ms`);
  return {
    backend: main.backend,
    threads: main.threads,
    cases: cases.length,
    greedy: { forward_passes: greedy.forward_passes, wall_ms: round(greedy.wall_ms) },
    speculative: { forward_passes: spec.forward_passes, wall_ms: round(spec.wall_ms) },
    speculative_draft: {
      forward_passes: specDraft.forward_passes,
      wall_ms: round(specDraft.wall_ms),
      draft_acceptance: specDraft.draft_proposed ? round((specDraft.draft_accepted / specDraft.draft_proposed) * 1000) / 1000 : 0,
    },
    identical,
    cache_hit_ratio: Math.round(cacheHit * 1000) / 1000,
    warm,
    p50_ms: round(percentile(spec.latencies, 50)),
    p95_ms: round(percentile(spec.latencies, 95)),
    held_back: heldBack,
    scoring,
  };
}
