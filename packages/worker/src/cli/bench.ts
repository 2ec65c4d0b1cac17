// Latency benchmark: replays cases as typing sessions through the model
// predictor in each decoding mode (same model, same run) and reports latency,
// forward passes, KV-cache reuse, draft acceptance and whether modes agree.
// The benchmark itself is ../bench/run-bench.ts; this is the command line.
//   npm run bench -- [--model DIR] [--draft DIR] [--cases FILE] [--json] [--limit N] [--keys N]
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadModel } from '../load-model.js';
import { loadTokenizer } from '../tokenizer.js';
import { runBench, type BenchSummary } from '../bench/run-bench.js';
import type { BenchCase } from './replay.js';

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
    },
  });
  const modelDir = values.model ?? defaultModel();
  const draftDefault = `${repo}models/nextedit-draft`;
  // Without a draft model the main model drafts for itself (acceptance ~100%).
  const draftDir = values.draft ?? (existsSync(`${draftDefault}/onnx/model.onnx`) ? draftDefault : modelDir);
  const lines = readFileSync(values.cases ?? defaultCases(), 'utf8').split('\n').filter((l) => l.trim());
  const cases = lines.slice(0, values.limit ? Number(values.limit) : lines.length).map((l) => JSON.parse(l) as BenchCase);
  const keys = Number(values.keys);
  const log = values.json ? () => undefined : console.log;

  // A folder given as `models/x` would read as a hub id `org/name`: make it absolute.
  const local = (dir: string) => (existsSync(dir) ? resolve(dir) : dir);
  const names = { model: modelDir, draft: draftDir };

  const [main_, draft, tokenizer] = await Promise.all([loadModel(local(modelDir)), loadModel(local(draftDir)), loadTokenizer(local(modelDir))]);
  let summary: BenchSummary;
  try {
    summary = await runBench({ main: main_, draft, tokenizer, cases, keys, names, log });
  } finally {
    await main_.lm.dispose();
    await draft.lm.dispose();
  }
  console.log(JSON.stringify(summary));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
