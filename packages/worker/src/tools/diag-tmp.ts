import { readFileSync } from 'node:fs';
import { parseCases, ModelPredictor } from '@nextedit/core';
import { localSource } from '../node/index.js';
import { loadBenchModels } from './load-bench-models.js';
import { configuredOptions } from '../runtime/create-predictor.js';
import { replaySession } from './replay.js';

const [main_, draft, tokenizer] = await loadBenchModels(localSource('/tmp/v3a'), localSource('/tmp/d3'), { dtype: 'q8', threads: 1 });
const { cases } = parseCases(readFileSync('/work/shared/eval/sample-cases.jsonl', 'utf8'));
const conf = configuredOptions(main_, draft);
const p = new ModelPredictor({ ...conf, model: main_.lm, tokenizer, mode: 'speculative', minConfidence: 0 });
const rows: any[] = [];
for (const c of cases.slice(0, 10)) {
  const s = replaySession(c, 20);
  await p.warm(s.paused);
  for (const r of s.requests) {
    const t = performance.now();
    const out = await p.predict(r);
    const ms = performance.now() - t;
    const own = p.lastAnswers.find((a) => a.madeBy === 'model');
    rows.push({ ms: Math.round(ms), gen: p.lastStats?.generatedTokens, passes: p.lastStats?.forwardPasses, shown: !!out, own: own ? own.output.length : null, cands: p.lastAnswers.length - (own ? 1 : 0), blocks: p.lastPrompt?.blocks?.length, draft: p.lastPrompt?.draft.length });
  }
}
rows.sort((a, b) => b.ms - a.ms);
for (const r of rows.slice(0, 14)) console.log(JSON.stringify(r));
const passes = rows.map((r) => r.passes).sort((a, b) => a - b);
console.log('passes p50', passes[92], 'p95', passes[174], 'n', rows.length);
await main_.lm.dispose(); await draft.lm.dispose();
