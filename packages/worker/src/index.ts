export { loadTokenizer, TransformersTokenizer } from './tokenizer.js';
export { TransformersCausalLM } from './backends/transformers.js';
export { loadModel, promptFormatOf, DTYPE_FILES, type Dtype, type LoadedModel, type LoadModelOptions } from './load-model.js';
export { pickBackend, type BackendName, type DeviceChoice } from './backends/device.js';
export { WorkerPredictor, type WorkerPredictorOptions, type WorkerPredictorStats } from './client.js';
export type { ModelSource, LoadResult } from './protocol.js';
