// What the main-thread client and the Web Worker say to each other (comlink).
import type { EditPrediction, LoadProgress, PredictRequest, WarmStats } from '@nextedit/core';
import type { ModelOptions } from '../runtime/create-predictor.js';

/** The model the worker loads: the shared model options, plus where ORT's files are served. */
export interface ModelSource extends ModelOptions {
  /** Where ORT's .wasm/.mjs files are served (self-hosted, no CDN). */
  wasmPaths?: string;
}

export interface LoadResult {
  backend: string;
  /** Why this backend runs (device choice, adapter found). */
  backendReason?: string;
  /** Why WebGPU was abandoned, when it was. */
  fallback?: string;
  /** WASM threads, on WASM. */
  threads?: number;
}

export interface WorkerApi {
  /**
   * Answers once the main model is ready; its draft loads after it. `onDeviceLost`: the WebGPU
   * device went away after load (the client restarts the worker on WASM). `onDraft`: the draft
   * is in use (no argument), or why it cannot be (the model runs on without it).
   */
  load(
    source: ModelSource,
    onProgress?: (p: LoadProgress) => void,
    onDeviceLost?: (why: string) => void,
    onDraft?: (error?: string) => void,
  ): Promise<LoadResult>;
  predict(id: number, request: PredictRequest, onPartial?: (p: EditPrediction) => void): Promise<EditPrediction | null>;
  abort(id: number): void;
  /** Prefill for the next request after `request` (its events all settled); undefined before load. */
  warm(request: PredictRequest): Promise<WarmStats | undefined>;
  /** The heartbeat: answers while the worker lives. */
  ping(): true;
}
