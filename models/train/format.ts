// format: mined cases (eval schema JSONL) -> token ids for training, rendered
// by packages/core's prompt format itself and tokenized by the worker's
// transformers.js tokenizer: the one source of truth for what the model sees
// at inference. A mismatch here would silently ruin the model.
//
//   npx tsx --conditions=source models/train/format.ts --in CASES.jsonl... --out OUT.jsonl
//     [--tokenizer models/tokenizer] [--format native|native@2] [--budget '{"near":256}']
//     [--no-edit-share 0.15] [--limit N] [--seed 0]
//
// Output, one line per example: {"id","kind","ids":[...],"loss_start":n} plus
// "positions" (the format's aligned rotary positions, answer continuing after the
// prompt) when the format defines them; the loss covers ids[loss_start:] (the
// answer, ending in the format's stop token).
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { caseRequest, getPromptFormat, parseCase, placeAfter, type EditCase, type PromptBudget } from '@nextedit/core';
import { loadTokenizer, readModelConfig } from '@nextedit/worker';

const HELP = `usage: format.ts --in CASES.jsonl [--in ...] --out OUT.jsonl [--tokenizer DIR] [--format native|native@2]
       [--budget JSON] [--no-edit-share 0.15] [--limit N] [--seed 0]
Renders each case with the prompt format and tokenizer used at inference.
Cases whose next edit lies outside the editable region are trained to answer
no-edit (the model cannot see where it is), at most --no-edit-share of the output.`;

/** Deterministic shuffle (mulberry32) so a re-run writes the same file. */
function shuffle<T>(items: T[], seed: number): T[] {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Appends the file's cases; a malformed line is reported (file:line) and skipped, never fatal. */
async function readCases(file: string, into: EditCase[]): Promise<void> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    const parsed = parseCase(line);
    if ('problem' in parsed) console.error(`format: ${file}:${n}: skipped: ${parsed.problem}`);
    else into.push(parsed.case);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      in: { type: 'string', multiple: true },
      out: { type: 'string' },
      tokenizer: { type: 'string', default: 'models/tokenizer' },
      format: { type: 'string', default: 'native' },
      budget: { type: 'string' },
      'budget-from': { type: 'string' },
      'no-edit-share': { type: 'string', default: '0.15' },
      limit: { type: 'string' },
      seed: { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.in?.length || !values.out) {
    console.log(HELP);
    process.exit(values.help ? 0 : 2);
  }
  const format = getPromptFormat(values.format!);
  const tokenizer = await loadTokenizer(resolve(values.tokenizer!));
  // --budget-from CONFIG.json reads the budget a shipped model's config.json names.
  const budget: Partial<PromptBudget> = values['budget-from']
    ? readModelConfig(JSON.parse(readFileSync(values['budget-from'], 'utf8')), values['budget-from']).prompt.budget ?? {}
    : values.budget
      ? JSON.parse(values.budget)
      : {};
  const noEditShare = Number(values['no-edit-share']);
  const limit = values.limit ? Number(values.limit) : Infinity;

  const cases: EditCase[] = [];
  for (const f of values.in) await readCases(f, cases);
  shuffle(cases, Number(values.seed));

  const out = createWriteStream(values.out);
  let written = 0;
  let noEdit = 0;
  let skipped = 0;
  const started = Date.now();
  for (const c of cases) {
    if (written >= limit) break;
    const prompt = format.build(caseRequest(c), tokenizer, budget);
    let answer = format.target(prompt, c.after);
    if (answer === null) {
      // Outside the region: teach abstaining, but do not let it dominate.
      if (noEdit >= noEditShare * (written + 1)) {
        skipped++;
        continue;
      }
      answer = format.target(prompt, c.before);
      noEdit++;
    }
    if (answer === null) continue;
    const answerIds = tokenizer.encode(answer);
    const ids = [...prompt.tokens, ...answerIds];
    const example = { id: c.id, kind: c.kind, ids, loss_start: prompt.tokens.length };
    const positions = prompt.positions && [
      ...prompt.positions,
      ...placeAfter(prompt.positions[prompt.positions.length - 1] ?? -1, answerIds, prompt.nextPosition),
    ];
    out.write(JSON.stringify(positions ? { ...example, positions } : example) + '\n');
    written++;
    if (written % 1000 === 0) {
      const rate = written / ((Date.now() - started) / 1000);
      console.error(`format: ${written} examples (${noEdit} no-edit, ${skipped} skipped), ${rate.toFixed(0)}/s`);
    }
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  console.error(`format: wrote ${written} examples to ${values.out} (${noEdit} no-edit, ${skipped} outside the region skipped)`);
}

main().catch((e) => {
  console.error(`format: ${(e as Error).message}`);
  process.exit(1);
});
