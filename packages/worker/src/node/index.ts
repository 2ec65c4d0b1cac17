// Node entry (`@nextedit/worker/node`): an in-process predictor on onnxruntime-node.
import type { Predictor } from '@nextedit/core';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createModelPredictor, type ModelOptions } from '../runtime/create-predictor.js';

/** The shared model options; a local folder may be given relative to the working directory. */
export type NodePredictorOptions = ModelOptions;

/** A folder that exists, made absolute: `models/x` would otherwise read as the hub id `org/name`. */
export function localSource(source: string): string {
  return existsSync(source) ? resolve(source) : source;
}

export async function createNodePredictor(opts: NodePredictorOptions): Promise<Predictor & { dispose(): Promise<void> }> {
  const loaded = await createModelPredictor({
    ...opts,
    model: localSource(opts.model),
    ...(opts.draft ? { draft: localSource(opts.draft) } : {}),
  });
  const p = loaded.predictor;
  return {
    predict: (request, options) => p.predict(request, options),
    status: () => ({ state: 'ready', backend: loaded.main.backend, model: opts.model }),
    dispose: () => loaded.dispose(),
  };
}

export { createModelPredictor, type CreatePredictorOptions, type LoadedPredictor, type ModelOptions } from '../runtime/create-predictor.js';
export { loadModel, DTYPE_FILES, type Dtype, type LoadedModel } from '../runtime/load-model.js';
export { readModelConfig, type ModelConfig } from '../runtime/model-config.js';
export { TransformersCausalLM } from '../runtime/backends/transformers.js';
