// Latency benchmark: replays cases as typing sessions through the model
// predictor in each decoding mode (same model, same run) and reports latency,
// forward passes, KV-cache reuse, draft acceptance and whether modes agree.
// The benchmark itself is run-bench.ts; this is the command line.
//   npm run bench -- [--model DIR] [--draft DIR] [--cases FILE] [--json] [--limit N] [--keys N]
//                    [--browser wasm|webgpu] [--threads N|auto] [--dtype fp32|q8] [--min-confidence P] [--draft-always] [--no-warm]
// --threads: WASM threads in the browser (the page is cross-origin isolated),
// onnxruntime-node's intra-op threads on Node; the JSON's `threads` says how many ran.
// --min-confidence: the floor below which predictions are held back (and
// decoding stops); default the model config's, as the product runs.
// --draft-always: in speculative+draft the draft model proposes at every
// chance (default: only where it is measured to save time, as shipped).
// --no-warm: no warm-up before each session (default: the predictor is warmed
// as the extension warms it in the pause before the user types).
// With --browser it runs in headless Chromium (a module Web Worker, the
// browser runtime on WASM or WebGPU) instead of onnxruntime-node; progress
// (one line per case and mode) goes to stderr. Headless Chromium's WebGPU is
// software (SwiftShader, ~0.3 s a forward pass here): use --limit/--keys.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseCases } from '@nextedit/core';
import { localSource } from '../node/index.js';
import { loadBenchModels } from './load-bench-models.js';
import { isWasmThreads } from '../runtime/wasm-threads.js';
import { runBench, type BenchSummary } from './run-bench.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

function defaultModel(): string {
  const student = `${repo}models/nextedit-student`;
  return existsSync(`${student}/onnx/model.onnx`) ? student : `${repo}models/tiny-random`;
}

function defaultCases(): string {
  const shared = `${repo}../shared/eval/sample-cases.jsonl`;
  return existsSync(shared) ? shared : fileURLToPath(new URL('./fixtures/bench-cases.jsonl', import.meta.url));
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
      browser: { type: 'string' },
      threads: { type: 'string', default: 'auto' },
      dtype: { type: 'string', default: 'fp32' },
      'min-confidence': { type: 'string' },
      'draft-always': { type: 'boolean', default: false },
      'no-warm': { type: 'boolean', default: false },
    },
  });
  const browser = values.browser;
  if (browser !== undefined && browser !== 'wasm' && browser !== 'webgpu') {
    throw new Error(`--browser must be wasm or webgpu, not "${browser}"`);
  }
  const threads = values.threads === 'auto' ? 'auto' : Number(values.threads);
  if (!isWasmThreads(threads)) {
    throw new Error(`--threads must be auto or a whole number >= 1, not "${values.threads}"`);
  }
  if (threads !== 'auto' && browser === 'webgpu') throw new Error('--threads is for WASM and Node (WebGPU runs one)');
  const modelDir = values.model ?? defaultModel();
  const draftDefault = `${repo}models/nextedit-draft`;
  // Without a draft model the main model drafts for itself (acceptance ~100%).
  const draftDir = values.draft ?? (existsSync(`${draftDefault}/onnx/model.onnx`) ? draftDefault : modelDir);
  const casesFile = values.cases ?? defaultCases();
  const { cases: all, errors } = parseCases(readFileSync(casesFile, 'utf8'));
  for (const e of errors) console.error(`${casesFile}:${e.line}: skipped: ${e.message}`);
  const cases = all.slice(0, values.limit ? Number(values.limit) : all.length);
  const keys = Number(values.keys);
  const dtype = values.dtype;
  if (dtype !== 'fp32' && dtype !== 'q8') throw new Error(`--dtype must be fp32 or q8, not "${dtype}"`);
  const minConfidence = values['min-confidence'] === undefined ? undefined : Number(values['min-confidence']);
  const adaptiveDraft = !values['draft-always'];
  const warm = !values['no-warm'];
  // The human-readable lines go to stdout, or with --json (stdout is the
  // summary) to stderr in a browser run, where they show progress.
  const log = !values.json ? console.log : browser ? console.error : () => undefined;

  const local = localSource;
  const names = { model: modelDir, draft: draftDir };

  let summary: BenchSummary;
  if (browser) {
    const { runBrowserBench } = await import('./browser-bench.js');
    summary = await runBrowserBench({
      device: browser, modelDir: local(modelDir), draftDir: local(draftDir), names, cases, keys, log, dtype, minConfidence, adaptiveDraft, warm, threads,
      progress: (l) => console.error(`bench: ${l}`),
    });
  } else {
    const [main_, draft, tokenizer] = await loadBenchModels(local(modelDir), local(draftDir), { dtype, threads });
    try {
      summary = await runBench({ main: main_, draft, tokenizer, cases, keys, names, log, minConfidence, adaptiveDraft, warm });
    } finally {
      await main_.lm.dispose();
      await draft.lm.dispose();
    }
  }
  console.log(JSON.stringify(summary));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
