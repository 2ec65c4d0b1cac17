export { loadTokenizer, TransformersTokenizer } from './runtime/tokenizer.js';
export { TransformersCausalLM } from './runtime/backends/transformers.js';
export { loadModel, DTYPE_FILES, type Dtype, type LoadedModel, type LoadModelOptions } from './runtime/load-model.js';
export { readModelConfig, type ModelConfig, type ModelPrompt, type PositionsLayout } from './runtime/model-config.js';
export { chooseBackend, pickBackend, type BackendChoice, type BackendName, type DeviceChoice } from './runtime/device.js';
export type { ModelOptions } from './runtime/create-predictor.js';
export { WorkerPredictor, type WorkerPredictorOptions, type WorkerPredictorStats } from './worker/client.js';
export type { ModelSource, LoadResult } from './worker/protocol.js';
export { DEFAULT_DRAFT, DEFAULT_MODEL, DEFAULT_MODELS_BASE, DEFAULT_WASM_PATHS, withDefaults, type LoadSource } from './worker/defaults.js';
