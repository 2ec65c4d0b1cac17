// Node entry (`@nextedit/worker/node`): an in-process predictor on onnxruntime-node.
import type { DecodeMode, Predictor } from '@nextedit/core';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createModelPredictor } from '../runtime/create-predictor.js';
import type { Dtype } from '../runtime/load-model.js';

export interface NodePredictorOptions {
  /** Model folder (Hugging Face layout), URL prefix or hub id. */
  model: string;
  /** Draft model with the same tokenizer, for `speculative+draft`. */
  draft?: string;
  dtype?: Dtype;
  mode?: DecodeMode;
  /** Hold back less sure predictions (0-1); default: the model config's `nextedit.min_confidence`. */
  minConfidence?: number;
  /** Let the model verify edit candidates made without it (default: the model config's `nextedit.verify_candidates`). */
  candidates?: boolean;
}

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

export { createModelPredictor } from '../runtime/create-predictor.js';
export { loadModel, DTYPE_FILES, type Dtype, type LoadedModel } from '../runtime/load-model.js';
export { readModelConfig, type ModelConfig } from '../runtime/model-config.js';
export { TransformersCausalLM } from '../runtime/backends/transformers.js';
