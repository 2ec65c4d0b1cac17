export { loadTokenizer, TransformersTokenizer } from './runtime/tokenizer.js';
export { TransformersCausalLM } from './runtime/backends/transformers.js';
export { loadModel, promptFormatOf, DTYPE_FILES, type Dtype, type LoadedModel, type LoadModelOptions } from './runtime/load-model.js';
export { pickBackend, type BackendName, type DeviceChoice } from './runtime/device.js';
export { WorkerPredictor, type WorkerPredictorOptions, type WorkerPredictorStats } from './worker/client.js';
export type { ModelSource, LoadResult } from './worker/protocol.js';
