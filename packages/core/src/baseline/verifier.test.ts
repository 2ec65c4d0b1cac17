import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../history/diff.js';
import type { PredictRequest } from '../types.js';
import { editCandidates } from './candidates.js';
import { CANDIDATE_FEATURES, candidateFeatures } from './candidate-features.js';
import { RulePredictor } from './rule-predictor.js';
import { DEFAULT_VERIFIER_FLOOR, verifyCandidate } from './verifier.js';

const path = 'src/app.ts';

/** A rename half done: the first uses renamed one by one, one event each. */
function renameInProgress(): PredictRequest {
  const v0 = 'const count = 0;\nfoo(count);\nbar(count);\nbaz(count);\n';
  const v1 = v0.replace('const count', 'const total');
  const v2 = v1.replace('foo(count)', 'foo(total)');
  return { path, text: v2, cursor: v2.indexOf('foo(total)') + 9, events: [unifiedDiff(path, v0, v1), unifiedDiff(path, v1, v2)] };
}

/** A number changed once far above: repeating it 40 lines down, in another kind of line, is a guess. */
function farGuess(): PredictRequest {
  const filler = Array.from({ length: 40 }, (_, i) => `step${i}();\n`).join('');
  const v0 = 'retries = 3;\n' + filler + 'wait(3);\n';
  const v1 = v0.replace('retries = 3', 'retries = 4');
  return { path, text: v1, cursor: 11, events: [unifiedDiff(path, v0, v1)] };
}

describe('rule verifier', () => {
  it('has one weight per feature and a feature vector of that length', () => {
    const r = renameInProgress();
    const c = editCandidates(r, { events: 1 });
    expect(candidateFeatures(r, c[0]!, c.length)).toHaveLength(CANDIDATE_FEATURES.length);
  });

  it('trusts a rename in progress more than a far repeat of a number change', () => {
    const a = renameInProgress();
    const b = farGuess();
    const ca = editCandidates(a, { events: 1 });
    const cb = editCandidates(b, { events: 1 });
    expect(cb).toHaveLength(1);
    const pa = verifyCandidate(a, ca[0]!, ca.length);
    const pb = verifyCandidate(b, cb[0]!, cb.length);
    expect(pa).toBeGreaterThan(DEFAULT_VERIFIER_FLOOR);
    expect(pb).toBeLessThan(DEFAULT_VERIFIER_FLOOR);
    expect(pa).toBeGreaterThan(pb);
  });

  it('lets the rule predictor hold back guesses below the floor and report the probability', async () => {
    const verified = new RulePredictor({ minProbability: DEFAULT_VERIFIER_FLOOR });
    expect(await verified.predict(farGuess())).toBeNull();
    expect(await new RulePredictor().predict(farGuess())).not.toBeNull(); // the plain baseline still guesses
    const shown = await verified.predict(renameInProgress());
    expect(shown?.confidence).toBeGreaterThan(DEFAULT_VERIFIER_FLOOR);
    expect(shown?.stats.madeBy).toBe('rules');
  });
});
