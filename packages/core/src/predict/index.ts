export { ModelPredictor, type ModelPredictorOptions, type ScoredAnswer, type WarmStats } from './model-predictor.js';
export { FallbackPredictor } from './fallback-predictor.js';
