// Offline evaluation: runs a predictor over eval cases, writes one prediction
// per case and prints a JSON summary on the last stdout line.
//   npm run eval -- --cases FILE.jsonl --out PREDICTIONS.jsonl
//     [--predictor baseline|verified-baseline|model|model+baseline|shipped] [--model DIR] [--draft DIR] [--dtype fp32|q8] [--min-confidence P]
//     [--no-candidates] [--no-model] [--limit N]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  applyEdits,
  caseRequest,
  DEFAULT_VERIFIER_FLOOR,
  deltaChrF,
  FallbackPredictor,
  parseCases,
  percentile,
  reverseUnifiedDiff,
  reversalRatio,
  RulePredictor,
  type EditCase,
  type Predictor,
} from '@nextedit/core';

const USAGE = `usage: npm run eval -- --cases FILE.jsonl --out PREDICTIONS.jsonl
    [--predictor baseline|verified-baseline|model|model+baseline|shipped] [--model DIR] [--draft DIR] [--dtype fp32|q8]
    [--min-confidence P] [--no-candidates] [--no-model] [--limit N]

  --cases      eval cases, one JSON object a line
  --out        where to write one prediction a line
  --predictor  baseline (rule-based, default); verified-baseline (the rules'
               guesses the rule verifier gives at least its calibrated floor);
               model; model+baseline (the model, and the plain rules when it
               holds back); shipped (the model, and the verified rules when it
               holds back: what the demo runs)
  --model      model folder for --predictor model and model+baseline; default:
               the bundled student (models/nextedit-student) and its draft
  --draft      draft model folder (speculative+draft)
  --dtype      model weights: fp32 (default) or q8 (onnx/model_quantized.onnx)
  --min-confidence  hold back predictions less sure than P (0-1); default: the
               model config's nextedit.min_confidence
  --no-candidates  the model writes its answer alone, even if its config has it
               verify candidates (nextedit.verify_candidates)
  --no-model   no model at all: the rule baseline (ablation)
  --limit      evaluate only the first N cases`;

/** The bundled models, next to this package in the repository. */
const BUNDLED = fileURLToPath(new URL('../../../../models/', import.meta.url));

interface Row {
  kind: string;
  exact: boolean;
  chrf: number;
  reversal: number;
  shown: boolean;
  ms: number;
  /** Who made the suggestion shown: `model`, `model-verified`, `rules`. */
  by?: string;
}

function summarize(rows: Row[]) {
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const shown = rows.filter((r) => r.shown);
  const ms = rows.map((r) => r.ms);
  return {
    n: rows.length,
    exact: mean(rows.map((r) => Number(r.exact))),
    deltaChrF: mean(rows.map((r) => r.chrf)),
    reversal: mean(rows.map((r) => r.reversal)),
    shown: mean(rows.map((r) => Number(r.shown))),
    precision: mean(shown.map((r) => Number(r.exact))),
    p50_ms: percentile(ms, 50),
    p95_ms: percentile(ms, 95),
  };
}

/** Who made a suggestion: `model`, `model-verified` or `rules` (a predictor without the field: its backend). */
function madeBy(pred: { stats: { madeBy?: string; backend?: string } }): string {
  return pred.stats.madeBy ?? pred.stats.backend ?? 'unknown';
}

/** The text before the case's last event, for the reversal ratio. */
function beforeLastEvent(c: EditCase): string {
  const last = c.events[c.events.length - 1];
  if (!last) return c.before;
  return reverseUnifiedDiff(c.before, last) ?? c.before;
}

interface ModelChoice {
  model?: string;
  draft?: string;
  dtype?: string;
  minConfidence?: number;
  candidates?: boolean;
}

async function makePredictor(kind: string, choice: ModelChoice): Promise<Predictor & { dispose?(): unknown }> {
  if (kind === 'baseline') return new RulePredictor();
  if (kind === 'verified-baseline') return new RulePredictor({ minProbability: DEFAULT_VERIFIER_FLOOR });
  if (kind === 'model+baseline' || kind === 'shipped') {
    const primary = await makePredictor('model', choice);
    return new FallbackPredictor(primary, await makePredictor(kind === 'shipped' ? 'verified-baseline' : 'baseline', choice));
  }
  if (kind !== 'model') {
    throw new UsageError(`unknown --predictor "${kind}" (baseline, verified-baseline, model, model+baseline or shipped)`);
  }
  let { model, draft } = choice;
  const { dtype, minConfidence, candidates } = choice;
  if (!model) {
    model = BUNDLED + 'nextedit-student';
    if (!existsSync(model)) throw new UsageError('--predictor model needs --model DIR (no bundled model here)');
    const bundledDraft = BUNDLED + 'nextedit-draft';
    if (!draft && existsSync(bundledDraft)) draft = bundledDraft;
  }
  if (dtype !== undefined && dtype !== 'fp32' && dtype !== 'q8' && dtype !== 'q4') throw new UsageError(`unknown --dtype "${dtype}" (fp32, q8 or q4)`);
  let runtime: typeof import('../node/index.js');
  try {
    runtime = await import('../node/index.js');
  } catch (e) {
    console.error(`no model runtime available (${(e as Error).message})`);
    process.exit(2);
  }
  try {
    return await runtime.createNodePredictor({
      model,
      ...(draft ? { draft } : {}),
      ...(dtype ? { dtype } : {}),
      ...(minConfidence !== undefined ? { minConfidence } : {}),
      ...(candidates === false ? { candidates } : {}),
    });
  } catch (e) {
    console.error(`cannot load model "${model}": ${(e as Error).message}`);
    process.exit(2);
  }
}

class UsageError extends Error {}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string' },
      out: { type: 'string' },
      predictor: { type: 'string', default: 'baseline' },
      model: { type: 'string' },
      draft: { type: 'string' },
      dtype: { type: 'string' },
      'min-confidence': { type: 'string' },
      'no-candidates': { type: 'boolean' },
      'no-model': { type: 'boolean' },
      limit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.cases || !values.out) throw new UsageError('--cases and --out are required');
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  if (!(limit >= 0)) throw new UsageError('--limit must be a number');

  const { cases, errors } = parseCases(readFileSync(values.cases, 'utf8'));
  for (const e of errors) console.error(`${values.cases}:${e.line}: skipped: ${e.message}`);
  const todo = cases.slice(0, limit);
  const minConfidence = values['min-confidence'] === undefined ? undefined : Number(values['min-confidence']);
  if (minConfidence !== undefined && !(minConfidence >= 0 && minConfidence <= 1)) throw new UsageError('--min-confidence must be between 0 and 1');
  const kind = values['no-model'] ? 'baseline' : values.predictor!;
  const predictor = await makePredictor(kind, {
    model: values.model,
    draft: values.draft,
    dtype: values.dtype,
    minConfidence,
    ...(values['no-candidates'] ? { candidates: false } : {}),
  });

  const lines: string[] = [];
  const rows: Row[] = [];
  for (const [i, c] of todo.entries()) {
    const start = performance.now();
    const pred = await predictor.predict(caseRequest(c));
    const ms = performance.now() - start;
    const prediction = pred && pred.edits.length ? applyEdits(c.before, pred.edits) : null;
    rows.push({
      kind: c.kind,
      exact: prediction === c.after,
      chrf: deltaChrF(c.before, c.after, prediction),
      reversal: reversalRatio(beforeLastEvent(c), c.before, prediction),
      shown: prediction !== null,
      ms,
      by: prediction !== null ? madeBy(pred!) : undefined,
    });
    lines.push(JSON.stringify({
      id: c.id,
      prediction,
      latency_ms: Math.round(ms * 100) / 100,
      kind: c.kind,
      ...(pred?.jump ? { jump: pred.jump } : {}),
      ...(pred?.confidence !== undefined ? { confidence: pred.confidence } : {}),
      ...(pred ? pred.stats : {}),
      ...(prediction !== null ? { made_by: madeBy(pred!) } : {}),
    }));
    // A terminal gets a live counter; a log gets a line every 20 cases.
    if (process.stderr.isTTY) process.stderr.write(`\r${i + 1}/${todo.length} cases`);
    else if ((i + 1) % 20 === 0 || i + 1 === todo.length) console.error(`${i + 1}/${todo.length} cases`);
  }
  if (todo.length && process.stderr.isTTY) process.stderr.write('\n');
  writeFileSync(values.out, lines.length ? lines.join('\n') + '\n' : '');
  await predictor.dispose?.();

  const byKind: Record<string, ReturnType<typeof summarize>> = {};
  for (const kind of [...new Set(rows.map((r) => r.kind))].sort()) byKind[kind] = summarize(rows.filter((r) => r.kind === kind));
  const counts: Record<string, number> = {};
  for (const r of rows) if (r.by) counts[r.by] = (counts[r.by] ?? 0) + 1;
  console.log(JSON.stringify({ ...summarize(rows), skipped: errors.length, made_by: counts, by_kind: byKind }));
}

main().catch((e: unknown) => {
  if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    process.exit(1);
  }
  console.error(e);
  process.exit(1);
});
