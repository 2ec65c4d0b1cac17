// candidate_features: for every case where the rule baseline has a guess (the
// last event's substitution at its next place), the guess's features (core's
// baseline/candidate-features.ts) and whether it is exactly the next edit: the
// data fit_verifier.py learns the rule verifier from. Training cases only for
// fitting; held-out cases for its floor.
//
//   npx tsx --conditions=source models/train/candidate_features.ts --out F.jsonl CASES.jsonl...
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { applyEdits, candidateFeatures, caseRequest, editCandidates, parseCase } from '@nextedit/core';

const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
if (!values.out || positionals.length === 0) {
  console.error('usage: candidate_features.ts --out FEATURES.jsonl CASES.jsonl...');
  process.exit(2);
}
const out = createWriteStream(values.out);
let n = 0;
let guessed = 0;
for (const file of positionals) {
  let at = 0;
  for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    at++;
    if (!line.trim()) continue;
    const parsed = parseCase(line);
    if ('problem' in parsed) {
      console.error(`candidate_features: ${file}:${at}: skipped: ${parsed.problem}`);
      continue;
    }
    const c = parsed.case;
    n++;
    const request = caseRequest(c);
    const candidates = editCandidates(request, { events: 1, max: 64 }).filter((x) => !x.path);
    if (candidates.length === 0) continue;
    guessed++;
    const first = candidates[0]!;
    const x = candidateFeatures(request, first, candidates.length);
    out.write(JSON.stringify({ id: c.id, kind: c.kind, x, y: applyEdits(c.before, first.edits) === c.after ? 1 : 0 }) + '\n');
  }
}
await new Promise<void>((resolve) => out.end(resolve));
console.error(`candidate_features: ${guessed} of ${n} cases have a rule guess -> ${values.out}`);
