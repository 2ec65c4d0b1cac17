// The Web Worker: hosts the model predictor off the main thread (comlink).
import { expose } from 'comlink';
import { env } from '@huggingface/transformers';
import type { EditPrediction, LoadProgress, PredictRequest } from '@nextedit/core';
import { createModelPredictor, type LoadedPredictor } from '../runtime/create-predictor.js';
import type { LoadResult, ModelSource, WorkerApi } from './protocol.js';

let loaded: LoadedPredictor | undefined;
const running = new Map<number, AbortController>();

interface DeviceLike { lost: Promise<{ reason: string; message?: string }> }

/**
 * A WebGPU device can be lost mid-session (driver reset, GPU process crash): the
 * client is told, and restarts the worker on WASM (a fresh ONNX Runtime; the old
 * one's WebGPU state is gone for good).
 */
async function watchDeviceLoss(watched: LoadedPredictor, onLost: (why: string) => void): Promise<void> {
  // ORT versions differ: the device itself, or a promise of it.
  const device = await Promise.resolve((env.backends.onnx as { webgpu?: { device?: DeviceLike | Promise<DeviceLike> } }).webgpu?.device).catch(() => undefined);
  if (!device) return;
  const info = await device.lost;
  if (loaded === watched) onLost(`WebGPU device lost (${info.reason}${info.message ? `: ${info.message}` : ''})`);
}

const api: WorkerApi = {
  async load(
    source: ModelSource,
    onProgress?: (p: LoadProgress) => void,
    onDeviceLost?: (why: string) => void,
    onDraft?: (error?: string) => void,
  ): Promise<LoadResult> {
    const wasm = (env.backends.onnx as { wasm?: { wasmPaths?: string } }).wasm;
    if (source.wasmPaths && wasm) wasm.wasmPaths = source.wasmPaths;
    const old = loaded;
    loaded = undefined; // its device going away now is no loss to report
    await old?.dispose();
    const current = (loaded = await createModelPredictor({ ...source, onProgress, draftLater: true }));
    if (source.draft && onDraft) {
      current.draftReady.then(
        () => loaded === current && onDraft(),
        (e) => loaded === current && onDraft((e as Error).message ?? String(e)),
      );
    }
    if (loaded.main.backend === 'webgpu' && onDeviceLost) void watchDeviceLoss(loaded, onDeviceLost);
    const { backend, backendReason, fallback, threads } = loaded.main;
    return { backend, backendReason, fallback, ...(backend === 'wasm' ? { threads } : {}) };
  },

  async predict(id: number, request: PredictRequest, onPartial?: (p: EditPrediction) => void) {
    const predictor = loaded?.predictor;
    if (!predictor) throw new Error('nextedit: predict before load');
    const ac = new AbortController();
    running.set(id, ac);
    try {
      return await predictor.predict(request, { signal: ac.signal, onPartial });
    } finally {
      running.delete(id);
    }
  },

  async warm(request: PredictRequest) {
    return loaded?.predictor.warm(request);
  },

  abort(id: number): void {
    running.get(id)?.abort();
  },

  ping(): true {
    return true;
  },
};

expose(api);
