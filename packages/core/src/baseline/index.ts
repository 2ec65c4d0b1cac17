export { lastSubstitution, standsAt, type Substitution } from './substitution.js';
export { editCandidates, historyDraft, type CandidateOptions, type EditCandidate } from './candidates.js';
export { candidateFeatures, CANDIDATE_FEATURES } from './candidate-features.js';
export { verifyCandidate, DEFAULT_VERIFIER_FLOOR } from './verifier.js';
export { RulePredictor, type RulePredictorOptions } from './rule-predictor.js';
