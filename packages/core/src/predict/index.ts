export * from './filters.js';
export { ModelPredictor, type ModelPredictorOptions } from './model-predictor.js';
export { FallbackPredictor } from './fallback-predictor.js';
