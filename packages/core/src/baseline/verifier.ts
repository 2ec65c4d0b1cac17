// The rule verifier: how likely a rule guess is the user's next edit, from
// its features (candidate-features.ts) by a logistic regression learned on
// mined training cases (models/train/fit_verifier.py). It lets the rule
// baseline speak only when its guess is likely right.
import type { PredictRequest } from '../types.js';
import type { EditCandidate } from './candidates.js';
import { candidateFeatures, CANDIDATE_FEATURES } from './candidate-features.js';
import { VERIFIER_FLOOR, VERIFIER_WEIGHTS } from './verifier-weights.js';

/** The floor calibrated on held-out cases: guesses above it were right >= 65% of the time there. */
export const DEFAULT_VERIFIER_FLOOR = VERIFIER_FLOOR;

/** Probability that `candidate` (the rule guess, fitting at `places` places) is the next edit. */
export function verifyCandidate(request: PredictRequest, candidate: EditCandidate, places: number): number {
  // Checked here, not on import: candidate_features.ts must still load to refit stale weights.
  if (VERIFIER_WEIGHTS.length !== CANDIDATE_FEATURES.length) {
    throw new Error(`verifier-weights.ts has ${VERIFIER_WEIGHTS.length} weights for ${CANDIDATE_FEATURES.length} features: re-run fit_verifier.py`);
  }
  const x = candidateFeatures(request, candidate, places);
  let z = 0;
  for (let i = 0; i < x.length; i++) z += x[i]! * VERIFIER_WEIGHTS[i]!;
  return 1 / (1 + Math.exp(-z));
}
