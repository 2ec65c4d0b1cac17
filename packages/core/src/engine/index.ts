export { argmax } from './greedy.js';
export { PrefixCache, type PrefillResult } from './prefix-cache.js';
export { generate, type DecodeMode, type GenerateOptions, type GenerateResult, type GenerateStats } from './generate.js';
export { DraftTracker } from './drafts.js';
export { DraftPolicy, type DraftPolicyOptions } from './draft-policy.js';
export { scoreCandidates, logProbabilityOf, type CandidateScore, type ScoreOptions } from './score.js';
