// A core ModelPredictor over a loaded model (+ optional draft) and its
// tokenizer, in the prompt format the model's config names. Shared by the
// Node entry and the Web Worker entry.
import { ModelPredictor, type DecodeMode, type Predictor } from '@nextedit/core';
import { loadModel, type Dtype, type LoadedModel } from './load-model.js';
import type { DeviceChoice } from './backends/device.js';
import { loadTokenizer } from './tokenizer.js';
import type { LoadProgress } from '@nextedit/core';

export interface CreatePredictorOptions {
  model: string;
  draft?: string;
  dtype?: Dtype;
  device?: DeviceChoice;
  mode?: DecodeMode;
  onProgress?(p: LoadProgress): void;
}

export interface LoadedPredictor {
  predictor: Predictor;
  main: LoadedModel;
  draft?: LoadedModel;
  dispose(): Promise<void>;
}

export async function createModelPredictor(opts: CreatePredictorOptions): Promise<LoadedPredictor> {
  const load = { dtype: opts.dtype, device: opts.device, onProgress: opts.onProgress };
  const [main, tokenizer] = await Promise.all([loadModel(opts.model, load), loadTokenizer(opts.model)]);
  const draft = opts.draft ? await loadModel(opts.draft, load) : undefined;
  const predictor = new ModelPredictor({
    model: main.lm,
    tokenizer,
    format: main.promptFormat,
    draftModel: draft?.lm,
    mode: opts.mode ?? (draft ? 'speculative+draft' : 'speculative'),
    backend: main.backend,
  });
  return {
    predictor,
    main,
    draft,
    async dispose() {
      await main.lm.dispose();
      await draft?.lm.dispose();
    },
  };
}
