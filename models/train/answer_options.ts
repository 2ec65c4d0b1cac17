// answer_options: for each held-out case, every answer the predictor weighed
// (the model's own, no edit, each verified candidate) with its probability,
// preference and whether it is exactly right: what calibrate.py picks the
// floors (min_confidence, min_verified, min_location) and the own_answers gate from; and the rule
// baseline's guess with its verifier probability (`rule`, and `rule_guess` on
// the answer that is the same edit). Never run it on the eval or reserved cases.
//
//   npx tsx --conditions=source models/train/answer_options.ts --model DIR --cases HELDOUT.jsonl \
//     --out OPTIONS.jsonl [--dtype q8] [--limit N]
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applyEdits, caseRequest, parseCases, isLineCompletion, isSuggestable, RulePredictor, type ScoredAnswer } from '@nextedit/core';
import { createModelPredictor } from '@nextedit/worker/node';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    cases: { type: 'string' },
    out: { type: 'string' },
    dtype: { type: 'string', default: 'q8' },
    limit: { type: 'string' },
  },
});
if (!values.model || !values.cases || !values.out) {
  console.error('usage: answer_options.ts --model DIR --cases HELDOUT.jsonl --out OPTIONS.jsonl [--dtype q8] [--limit N]');
  process.exit(2);
}
const { cases } = parseCases(readFileSync(values.cases, 'utf8'));
const todo = cases.slice(0, values.limit ? Number(values.limit) : undefined);
// Candidates on whatever the config says: this is what decides whether the model may verify them.
const loaded = await createModelPredictor({ model: resolve(values.model), dtype: values.dtype as 'q8' | 'fp32', minConfidence: 0, candidates: true });
const predictor = loaded.predictor;
// The rule baseline's guess with its verifier probability (a floor just above 0 makes it compute one),
// so a floor can be picked for the model and the rule verifier together.
const rules = new RulePredictor({ minProbability: 1e-12 });
const lines: string[] = [];
for (const [i, c] of todo.entries()) {
  const request = caseRequest(c);
  const guess = await rules.predict(request);
  const ruleDocument = guess && !guess.jump?.path ? applyEdits(request.text, guess.edits) : null;
  await predictor.predict(request);
  const prompt = predictor.lastPrompt!;
  const answers = predictor.lastAnswers.map((a: ScoredAnswer) => {
    // The same reading of an answer as the predictor's (null: no-edit).
    const answerEdits = predictor.answerEdits(request, prompt, a);
    const edits = answerEdits ?? [];
    const document = answerEdits === null ? null : applyEdits(request.text, edits);
    return {
      made_by: a.madeBy,
      log_probability: a.logProbability,
      min_probability: a.minProbability,
      first_probability: a.firstProbability,
      ...(a.preference !== undefined ? { preference: a.preference } : {}),
      edit: document !== null && document !== request.text,
      // What calibrate.py reads from core's rules (the own_answers gate; an answer that undoes the
      // user shows nothing), and the edits themselves for analysis.
      ...(edits.length ? { line_completion: isLineCompletion(request, edits), suggestable: isSuggestable(request, edits), edits } : {}),
      exact: document === c.after,
      ...(ruleDocument !== null && document === ruleDocument ? { rule_guess: true } : {}),
    };
  });
  const rule = ruleDocument !== null ? { probability: guess!.confidence ?? 0, exact: ruleDocument === c.after } : null;
  lines.push(JSON.stringify({ id: c.id, kind: c.kind, cursor: request.cursor, answers, rule }));
  if ((i + 1) % 20 === 0) console.error(`${i + 1}/${todo.length} cases`);
}
writeFileSync(values.out, lines.join('\n') + '\n');
await loaded.dispose();
console.error(`wrote ${lines.length} cases to ${values.out}`);
