// The Web Worker: hosts the model predictor off the main thread (comlink).
import { expose } from 'comlink';
import { env } from '@huggingface/transformers';
import type { EditPrediction, LoadProgress, PredictRequest, Predictor } from '@nextedit/core';
import { createModelPredictor, type LoadedPredictor } from '../runtime/create-predictor.js';
import type { LoadResult, ModelSource, WorkerApi } from './protocol.js';

let loaded: LoadedPredictor | undefined;
const running = new Map<number, AbortController>();

const api: WorkerApi = {
  async load(source: ModelSource, onProgress?: (p: LoadProgress) => void): Promise<LoadResult> {
    const wasm = (env.backends.onnx as { wasm?: { wasmPaths?: string } }).wasm;
    if (source.wasmPaths && wasm) wasm.wasmPaths = source.wasmPaths;
    await loaded?.dispose();
    loaded = await createModelPredictor({ ...source, onProgress });
    return { backend: loaded.main.backend, backendReason: loaded.main.backendReason, fallback: loaded.main.fallback };
  },

  async predict(id: number, request: PredictRequest, onPartial?: (p: EditPrediction) => void) {
    const predictor: Predictor | undefined = loaded?.predictor;
    if (!predictor) throw new Error('nextedit: predict before load');
    const ac = new AbortController();
    running.set(id, ac);
    try {
      return await predictor.predict(request, { signal: ac.signal, onPartial });
    } finally {
      running.delete(id);
    }
  },

  abort(id: number): void {
    running.get(id)?.abort();
  },

  ping(): true {
    return true;
  },
};

expose(api);
