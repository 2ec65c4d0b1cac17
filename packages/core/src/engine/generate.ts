// Greedy decoding, and speculative decoding whose output is token for token
// the greedy one: proposals (region draft, extra drafts, a draft model) are
// verified in one forward pass and only the prefix the model agrees with kept.
import type { AbortSignalLike, Logits, PredictionStats } from '../types.js';
import { throwIfAborted } from '../abort.js';
import { placeAfter, type NextPosition } from '../prompt/positions.js';
import { argmax, greedyChoice } from './greedy.js';
import { DraftTracker } from './drafts.js';
import { loopCut } from './loop-guard.js';
import type { DraftPolicy } from './draft-policy.js';
import type { PrefixCache } from './prefix-cache.js';

export type DecodeMode = 'greedy' | 'speculative' | 'speculative+draft';

export interface GenerateOptions {
  maxTokens: number;
  stopTokens: number[];
  mode?: DecodeMode;
  /** The prompt's aligned positions (`BuiltPrompt.positions`), for caches whose model wants them. */
  positions?: number[];
  /** How the format places generated tokens (`BuiltPrompt.nextPosition`); default one apart. */
  nextPosition?: NextPosition;
  /** Region draft tokens: what the answer is if nothing changes. */
  draft?: number[];
  /** Small model with the same tokenizer ('speculative+draft'). */
  draftModel?: PrefixCache;
  /** Other token sequences usable as drafts like the region. */
  extraDrafts?: number[][];
  /** Most tokens fed in one verification pass (default 16). */
  chunkSize?: number;
  /** Tokens the draft model proposes at a time (default 4). */
  draftK?: number;
  /**
   * Times both models and skips the draft model where its proposals cost more
   * than they save (keep one across requests: it learns the device). Without
   * one the draft model proposes at every chance.
   */
  draftPolicy?: DraftPolicy;
  signal?: AbortSignalLike;
  /**
   * Stop as soon as the model chose a token with less probability than this
   * (result `stop: 'unsure'`): a caller that holds back unsure predictions
   * need not decode the rest of one. Default 0 (never).
   */
  stopBelowProbability?: number;
  /** After each verified chunk: the output so far and its `minProbability` so far. */
  onChunk?: (generated: number[], minProbability: number) => void;
  /**
   * End markers matched in the decoded output (`PromptFormat.stopTexts`), for
   * markers the tokenizer does not hold as one token: the model then writes
   * them in pieces, which `stopTokens` never sees. Decoding ends after the
   * first token whose output prefix contains one (result `stop: 'stop'` with
   * `stopText`; that token and the marker's pieces stay in `tokens`), in
   * every mode at the same token.
   */
  stopTexts?: { texts: string[]; decode(tokens: number[]): string };
}

/** The engine's share of `PredictionStats` (the predictor adds latency, backend, mode). */
export type GenerateStats = Pick<
  PredictionStats,
  'promptTokens' | 'cachedTokens' | 'forwardPasses' | 'generatedTokens' | 'draftProposed' | 'draftAccepted'
> & { wallMs: number };

export interface GenerateResult {
  /** Generated tokens, without the stop token (a stop text's pieces included). */
  tokens: number[];
  /** `loop`: the output kept repeating a few tokens (loop-guard.ts), an answer that would only run to the cap. */
  stop: 'stop' | 'max' | 'unsure' | 'loop';
  stopToken?: number;
  /** The stop text the output ended with (`GenerateOptions.stopTexts`). */
  stopText?: string;
  /**
   * The lowest probability the model gave any token it chose (the stop token
   * included): low when some step was a guess, so callers can hold back
   * unsure predictions. Identical in every mode, like the tokens.
   */
  minProbability: number;
  /** Sum of the log-probabilities of the chosen tokens (the stop token included): the answer's likelihood. */
  logProbability: number;
  /** Probability of the first chosen token (block formats: where the model thinks the edit is). */
  firstProbability: number;
  stats: GenerateStats;
}

export async function generate(cache: PrefixCache, prompt: number[], opts: GenerateOptions): Promise<GenerateResult> {
  const started = Date.now();
  const mode = opts.mode ?? 'speculative';
  const chunkSize = Math.max(1, opts.chunkSize ?? 16);
  const draftK = Math.max(1, opts.draftK ?? 4);
  const stops = new Set(opts.stopTokens);
  const drafts = [opts.draft ?? [], ...(opts.extraDrafts ?? [])].filter((d) => d.length > 0);
  const trackers = mode === 'greedy' ? [] : drafts.map((d) => new DraftTracker(d));
  const draftModel = mode === 'speculative+draft' ? opts.draftModel : undefined;
  const policy = draftModel && opts.draftPolicy;

  const pre = await cache.prefill(prompt, opts.signal, opts.positions);
  const stats: GenerateStats = {
    promptTokens: prompt.length,
    cachedTokens: pre.cachedTokens,
    forwardPasses: pre.forwardPasses,
    generatedTokens: 0,
    draftProposed: 0,
    draftAccepted: 0,
    wallMs: 0,
  };
  const out: number[] = [];
  let minProbability = 1;
  let logProbability = 0;
  let firstProbability: number | undefined;
  // Each chosen token's probability, in order (a stop text may cut a verified chunk short).
  const chosen: number[] = [];
  const finish = (stop: GenerateResult['stop'], stopToken?: number): GenerateResult => {
    stats.generatedTokens = out.length;
    stats.wallMs = Date.now() - started;
    const base = { tokens: out, stop, minProbability, logProbability, firstProbability: firstProbability ?? 1, stats };
    return stopToken === undefined ? base : { ...base, stopToken };
  };
  const choose = (logits: Logits, row: number): number => {
    const { token, probability } = greedyChoice(logits, row);
    chosen.push(probability);
    minProbability = Math.min(minProbability, probability);
    logProbability += Math.log(probability);
    firstProbability ??= probability;
    return token;
  };
  const floor = opts.stopBelowProbability ?? 0;
  const textStop = opts.stopTexts && opts.stopTexts.texts.length > 0 ? opts.stopTexts : undefined;
  // out[0, clean) decodes to text holding no stop text.
  let clean = 0;
  /** If the output now holds a stop text: cut it after the token that completed one and finish. */
  const stopAtText = async (): Promise<GenerateResult | undefined> => {
    if (!textStop || out.length === clean) return undefined;
    const has = (n: number) => {
      const text = textStop.decode(out.slice(0, n));
      return textStop.texts.find((s) => text.includes(s));
    };
    if (has(out.length) === undefined) {
      clean = out.length;
      return undefined;
    }
    let n = clean + 1;
    while (has(n) === undefined) n++;
    const stopText = has(n)!;
    out.length = n;
    await cache.truncate(Math.min(prompt.length + n, cache.tokens.length));
    // The answer's likelihood over the tokens kept, as greedy decoding reached them.
    minProbability = Math.min(1, ...chosen.slice(0, n));
    logProbability = chosen.slice(0, n).reduce((a, p) => a + Math.log(p), 0);
    if (minProbability < floor) return finish('unsure');
    return { ...finish('stop'), stopText };
  };

  if (opts.maxTokens <= 0) return finish('max');
  // Invariant: the cache holds prompt + out, and `next` is the model's greedy
  // choice after it (not yet fed).
  let next = choose({ data: pre.last, rows: 1, vocabSize: pre.last.length }, 0);
  for (;;) {
    if (minProbability < floor) return finish('unsure');
    if (stops.has(next)) return finish('stop', next);
    out.push(next);
    const byText = await stopAtText();
    if (byText) return byText;
    if (loopCut(out, out.length - 1, drafts) > 0) return finish('loop');
    for (const t of trackers) t.advance(out, 1);
    if (out.length >= opts.maxTokens) return finish('max');

    // Proposals beyond maxTokens could never be emitted.
    const room = Math.min(chunkSize, opts.maxTokens - out.length);
    let proposal = trackers.map((t) => t.propose(room)).reduce((a, b) => (b.length > a.length ? b : a), []);
    let fromDraftModel = false;
    const k = Math.min(draftK, room);
    if (proposal.length === 0 && draftModel && (!policy || policy.shouldPropose(k))) {
      const t0 = policy?.now();
      const proposed = await proposeWithDraftModel(draftModel, prompt, opts, out, k, stops);
      if (policy) policy.recordDraftPasses(policy.now() - t0!, proposed.passes);
      proposal = proposed.tokens;
      fromDraftModel = true;
    }

    throwIfAborted(opts.signal);
    const t1 = policy?.now();
    const fed = [next, ...proposal];
    const logits = await cache.append(fed, opts.signal, cache.placeNext(fed, opts.nextPosition));
    if (policy) policy.recordMainPass(policy.now() - t1!);
    stats.forwardPasses++;
    stats.draftProposed += proposal.length;
    let row = 0;
    let p = choose(logits, 0);
    while (row < proposal.length && p === proposal[row] && !stops.has(p)) {
      out.push(p);
      stats.draftAccepted++;
      row++;
      if (out.length >= opts.maxTokens) break;
      p = choose(logits, row);
    }
    if (fromDraftModel) policy?.recordProposal(proposal.length, row);
    for (const t of trackers) t.advance(out, row);
    // Drop the fed proposal tokens the model rejected.
    await cache.truncate(prompt.length + out.length);
    const verifiedByText = await stopAtText();
    if (verifiedByText) return verifiedByText;
    // At the same token greedy decoding would have stopped at.
    const loop = loopCut(out, out.length - row, drafts);
    if (loop > 0) {
      out.length = loop;
      await cache.truncate(Math.min(prompt.length + loop, cache.tokens.length));
      return finish('loop');
    }
    if (out.length >= opts.maxTokens) return finish('max');
    opts.onChunk?.(out.slice(), minProbability);
    next = p;
  }
}

/** Greedy tokens from the small model after prompt + out (its cache kept in step), and the passes that took. */
async function proposeWithDraftModel(
  draft: PrefixCache,
  prompt: number[],
  opts: Pick<GenerateOptions, 'positions' | 'nextPosition' | 'signal'>,
  out: number[],
  k: number,
  stops: Set<number>,
): Promise<{ tokens: number[]; passes: number }> {
  const { positions, signal } = opts;
  const pre = await draft.prefill(
    [...prompt, ...out],
    signal,
    positions && [...positions, ...placeAfter(positions[positions.length - 1] ?? -1, out, opts.nextPosition)],
  );
  const proposal: number[] = [];
  let t = argmax({ data: pre.last, rows: 1, vocabSize: pre.last.length }, 0);
  let passes = pre.forwardPasses;
  while (proposal.length < k && !stops.has(t)) {
    proposal.push(t);
    if (proposal.length === k) break;
    throwIfAborted(signal);
    t = argmax(await draft.append([t], signal, draft.placeNext([t], opts.nextPosition)), 0);
    passes++;
  }
  return { tokens: proposal, passes };
}

