import type { LoadProgress, Predictor, PredictorStatus } from '@nextedit/core';

export interface LoadedModel { predictor: Predictor; status(): PredictorStatus }
export interface ModelChoice { model: string; dtype: 'fp32' | 'q8'; device: 'webgpu' | 'wasm' | 'auto' }

// The worker client is written alongside this demo; the glob finds it once it
// exists instead of breaking the page's import graph before then.
const clients = import.meta.glob<{ WorkerPredictor: new () => Predictor & {
  load(source: ModelChoice, opts?: { onProgress?(p: LoadProgress): void }): Promise<void>;
  status(): PredictorStatus;
} }>('../../packages/worker/src/index.ts');

export const workerAvailable = () => Object.keys(clients).length > 0;

/** The bundled student when it is served, else the tiny random test model. */
export async function bundledModel(): Promise<string> {
  for (const name of ['nextedit-student', 'tiny-random']) {
    const r = await fetch(`/models/${name}/config.json`, { method: 'HEAD' }).catch(() => null);
    if (r?.ok) return new URL(`/models/${name}`, location.href).href;
  }
  throw new Error('no bundled model is served under /models/ (nextedit-student, tiny-random)');
}

/** Load a model in a fresh worker; the caller swaps it in only on success. */
export async function loadModel(choice: ModelChoice, onProgress: (p: LoadProgress) => void): Promise<LoadedModel> {
  const load = Object.values(clients)[0];
  if (!load) throw new Error('the worker client (@nextedit/worker) is not available in this build');
  const { WorkerPredictor } = await load();
  const p = new WorkerPredictor();
  try {
    await p.load(choice, { onProgress });
  } catch (e) {
    await p.dispose?.();
    throw e;
  }
  return { predictor: p, status: () => p.status() };
}
