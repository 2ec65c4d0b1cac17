export { ModelPredictor, type ModelPredictorOptions, type ScoredAnswer } from './model-predictor.js';
export { FallbackPredictor } from './fallback-predictor.js';
