// Node entry (`@nextedit/worker/node`): an in-process predictor on onnxruntime-node.
// onnxruntime-node is an optional peer dependency, needed only here: it is checked
// before the runtime (transformers.js's Node build, which imports it) is loaded, so
// a missing one is a clear error rather than a module-resolution failure deep inside.
import type { Predictor } from '@nextedit/core';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { ModelOptions } from '../runtime/create-predictor.js';

function checkOnnxruntimeNode(): void {
  const require = createRequire(import.meta.url);
  try {
    // Resolved from transformers.js, the package that imports it.
    createRequire(require.resolve('@huggingface/transformers')).resolve('onnxruntime-node');
  } catch {
    throw new Error(
      '@nextedit/worker/node needs onnxruntime-node, an optional peer dependency: npm install onnxruntime-node@1.30.0 ' +
        '(set ONNXRUNTIME_NODE_INSTALL=skip to skip its CUDA download). Browser apps use @nextedit/worker/client and do not need it.',
    );
  }
}
checkOnnxruntimeNode();

const runtime = await import('./runtime.js');

/** The shared model options; a local folder may be given relative to the working directory. No model: the bundled @nextedit/models (q8). */
export type NodePredictorOptions = Omit<ModelOptions, 'model'> & { model?: string };

/** A folder that exists, made absolute: `models/x` would otherwise read as the hub id `org/name`. */
export function localSource(source: string): string {
  return existsSync(source) ? resolve(source) : source;
}

/** `opts` with a model: the one named, else the bundled student + draft of @nextedit/models, in q8. */
export async function withNodeDefaults(opts: NodePredictorOptions = {}): Promise<ModelOptions> {
  if (opts.model !== undefined) return { ...opts, model: opts.model };
  let bundled: { studentPath: string; draftPath: string };
  try {
    bundled = await import('@nextedit/models');
  } catch (e) {
    throw new Error(`nextedit: no model named and @nextedit/models is not installed (${(e as Error).message})`);
  }
  return { ...opts, model: bundled.studentPath, draft: opts.draft ?? bundled.draftPath, dtype: opts.dtype ?? 'q8' };
}

export async function createNodePredictor(given: NodePredictorOptions = {}): Promise<Predictor & { dispose(): Promise<void> }> {
  const opts = await withNodeDefaults(given);
  const loaded = await runtime.createModelPredictor({
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

export const { createModelPredictor, loadModel, DTYPE_FILES, readModelConfig, TransformersCausalLM } = runtime;
export type TransformersCausalLM = import('./runtime.js').TransformersCausalLM;
export type { CreatePredictorOptions, LoadedPredictor, ModelOptions } from '../runtime/create-predictor.js';
export type { Dtype, LoadedModel } from '../runtime/load-model.js';
export type { ModelConfig } from '../runtime/model-config.js';
