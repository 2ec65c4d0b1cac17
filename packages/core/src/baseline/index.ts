export { RulePredictor, historyDraft, lastSubstitution } from './rule-predictor.js';
