// Latency benchmark: replays cases as typing sessions through the model
// predictor in each decoding mode (same model, same run) and reports latency,
// forward passes, KV-cache reuse, draft acceptance and whether modes agree.
//   npm run bench -- [--model DIR] [--draft DIR] [--cases FILE] [--json] [--limit N]
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ModelPredictor, type DecodeMode, type EditPrediction } from '@nextedit/core';
import { budgetOf } from '../create-predictor.js';
import { loadModel } from '../load-model.js';
import { loadTokenizer } from '../tokenizer.js';
import { CountingLM } from './counting-lm.js';
import { percentile, typingSession, type BenchCase } from './replay.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

function defaultModel(): string {
  const student = `${repo}models/nextedit-student`;
  return existsSync(`${student}/onnx/model.onnx`) ? student : `${repo}models/tiny-random`;
}

function defaultCases(): string {
  const shared = `${repo}../shared/eval/sample-cases.jsonl`;
  return existsSync(shared) ? shared : fileURLToPath(new URL('./fixtures/bench-cases.jsonl', import.meta.url));
}

interface ModeResult {
  forward_passes: number;
  wall_ms: number;
  draft_proposed: number;
  draft_accepted: number;
  prompt_tokens: number;
  cached_tokens: number;
  latencies: number[];
  outputs: string[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      draft: { type: 'string' },
      cases: { type: 'string' },
      json: { type: 'boolean', default: false },
      limit: { type: 'string' },
      keys: { type: 'string', default: '8' },
    },
  });
  const modelDir = values.model ?? defaultModel();
  const draftDefault = `${repo}models/nextedit-draft`;
  // Without a draft model the main model drafts for itself (acceptance ~100%).
  const draftDir = values.draft ?? (existsSync(`${draftDefault}/onnx/model.onnx`) ? draftDefault : modelDir);
  const lines = readFileSync(values.cases ?? defaultCases(), 'utf8').split('\n').filter((l) => l.trim());
  const cases = lines.slice(0, values.limit ? Number(values.limit) : lines.length).map((l) => JSON.parse(l) as BenchCase);
  const log = values.json ? (..._: unknown[]) => undefined : console.log;

  const [main_, draft, tokenizer] = await Promise.all([loadModel(modelDir), loadModel(draftDir), loadTokenizer(modelDir)]);
  log(`model ${modelDir} (${main_.backend}), draft ${draftDir}, ${cases.length} cases`);

  const run = async (mode: DecodeMode): Promise<ModeResult> => {
    // Each mode starts from an empty cache so forward passes are comparable.
    await main_.lm.truncate(0);
    await draft.lm.truncate(0);
    const counted = new CountingLM(main_.lm);
    const predictor = new ModelPredictor({
      model: counted,
      tokenizer,
      format: main_.promptFormat,
      draftModel: mode === 'speculative+draft' ? draft.lm : undefined,
      mode,
      backend: main_.backend,
      budget: budgetOf(main_.config),
    });
    const r: ModeResult = { forward_passes: 0, wall_ms: 0, draft_proposed: 0, draft_accepted: 0, prompt_tokens: 0, cached_tokens: 0, latencies: [], outputs: [] };
    const t0 = performance.now();
    for (const c of cases) {
      let last: EditPrediction | null = null;
      for (const request of typingSession(c, Number(values.keys))) {
        const t = performance.now();
        counted.beginRequest();
        last = await predictor.predict(request);
        r.latencies.push(performance.now() - t);
        // Draft counts exist only on predictions that propose an edit.
        r.draft_proposed += last?.stats.draftProposed ?? 0;
        r.draft_accepted += last?.stats.draftAccepted ?? 0;
      }
      r.outputs.push(JSON.stringify(last?.edits ?? null));
    }
    r.wall_ms = performance.now() - t0;
    r.forward_passes = counted.forwardPasses;
    r.prompt_tokens = counted.promptTokens;
    r.cached_tokens = counted.cachedTokens;
    log(`${mode.padEnd(18)} forward passes ${r.forward_passes}, wall ${r.wall_ms.toFixed(0)} ms, p50 ${percentile(r.latencies, 50).toFixed(1)} ms, p95 ${percentile(r.latencies, 95).toFixed(1)} ms, draft ${r.draft_accepted}/${r.draft_proposed}`);
    return r;
  };

  const greedy = await run('greedy');
  const spec = await run('speculative');
  const specDraft = await run('speculative+draft');
  const identical = greedy.outputs.every((o, i) => o === spec.outputs[i] && o === specDraft.outputs[i]);
  const cacheHit = spec.prompt_tokens ? spec.cached_tokens / spec.prompt_tokens : 0;
  log(`prompt tokens from KV cache: ${(cacheHit * 100).toFixed(1)}%; modes identical: ${identical}`);
  const round = (x: number) => Math.round(x * 10) / 10;
  console.log(
    JSON.stringify({
      backend: main_.backend,
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
      p50_ms: round(percentile(spec.latencies, 50)),
      p95_ms: round(percentile(spec.latencies, 95)),
    }),
  );
  await main_.lm.dispose();
  await draft.lm.dispose();
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
