export { lastSubstitution, standsAt, type Substitution } from './substitution.js';
export { editCandidates, historyDraft, type CandidateOptions, type EditCandidate } from './candidates.js';
export { RulePredictor } from './rule-predictor.js';
