export * from './filters.js';
export { ModelPredictor, type ModelPredictorOptions } from './model-predictor.js';
