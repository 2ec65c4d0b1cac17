// What the Node entry loads once onnxruntime-node is known to be there (see index.ts).
export { createModelPredictor } from '../runtime/create-predictor.js';
export { loadModel, DTYPE_FILES } from '../runtime/load-model.js';
export { readModelConfig } from '../runtime/model-config.js';
export { TransformersCausalLM } from '../runtime/backends/transformers.js';
