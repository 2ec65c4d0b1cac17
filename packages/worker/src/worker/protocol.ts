// What the main-thread client and the Web Worker say to each other (comlink).
import type { EditPrediction, LoadProgress, PredictRequest } from '@nextedit/core';
import type { DeviceChoice } from '../runtime/device.js';
import type { Dtype } from '../runtime/load-model.js';

export interface ModelSource {
  /** Folder path, URL prefix or hub id (Hugging Face layout). */
  model: string;
  /** Draft model with the same tokenizer, for `speculative+draft`. */
  draft?: string;
  dtype?: Dtype;
  device?: DeviceChoice;
  mode?: 'greedy' | 'speculative' | 'speculative+draft';
  /** Hold back predictions less sure than this; default: the model config's `nextedit.min_confidence`. */
  minConfidence?: number;
  /** Where ORT's .wasm/.mjs files are served (self-hosted, no CDN). */
  wasmPaths?: string;
}

export interface LoadResult {
  backend: string;
  /** Why WebGPU was abandoned, when it was. */
  fallback?: string;
}

export interface WorkerApi {
  load(source: ModelSource, onProgress?: (p: LoadProgress) => void): Promise<LoadResult>;
  predict(id: number, request: PredictRequest, onPartial?: (p: EditPrediction) => void): Promise<EditPrediction | null>;
  abort(id: number): void;
}
