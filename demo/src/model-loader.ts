import type { LoadProgress, Predictor, PredictorStatus } from '@nextedit/core';

export interface LoadedModel { predictor: Predictor; status(): PredictorStatus }
export interface ModelChoice { model: string; dtype: 'fp32' | 'q8'; device: 'webgpu' | 'wasm' | 'auto'; wasmPaths?: string }

interface WorkerClient extends Predictor {
  load(source: ModelChoice, opts?: { onProgress?(p: LoadProgress): void }): Promise<void>;
  status(): PredictorStatus;
}

// The worker client is being written alongside this demo. Until it exists the
// glob is empty and the page runs on the rule baseline; importing the package
// root instead would pull its Node-only parts into the page and the build.
const clientFile = import.meta.glob<{ WorkerPredictor?: new () => WorkerClient }>('../../packages/worker/src/client.ts');
export const workerAvailable = () => Object.keys(clientFile).length > 0;

/** The bundled student when it is served, else the tiny random test model. */
export async function bundledModel(): Promise<string> {
  for (const name of ['nextedit-student', 'tiny-random']) {
    const r = await fetch(`/models/${name}/config.json`, { method: 'HEAD' }).catch(() => null);
    if (r?.ok) return new URL(`/models/${name}`, location.href).href;
  }
  throw new Error('no bundled model is served under /models/ (nextedit-student, tiny-random)');
}

/** Fail fast, with the URL and HTTP status, when a model URL serves no config. */
async function preflight(model: string): Promise<void> {
  if (!/^(https?:)?\//.test(model)) return; // a hub id: the worker resolves it
  const url = `${model.replace(/\/$/, '')}/config.json`;
  const r = await fetch(url).catch((e: Error) => { throw new Error(`cannot fetch ${url}: ${e.message}`); });
  if (!r.ok) throw new Error(`no model at ${model} (${url}: HTTP ${r.status})`);
}

/** Load a model in a fresh worker; the caller swaps it in only on success. */
export async function loadModel(choice: ModelChoice, onProgress: (p: LoadProgress) => void): Promise<LoadedModel> {
  await preflight(choice.model);
  const load = Object.values(clientFile)[0];
  const mod = load ? await load() : {};
  if (!mod.WorkerPredictor) throw new Error('the worker client (WorkerPredictor from @nextedit/worker) is not available in this build');
  const p = new mod.WorkerPredictor();
  try {
    // ORT's wasm is self-hosted at /ort/ (see vite.config.ts): no CDN, works offline.
    await p.load({ ...choice, wasmPaths: new URL('/ort/', location.href).href }, { onProgress });
  } catch (e) {
    await p.dispose?.();
    throw e;
  }
  return { predictor: p, status: () => p.status() };
}
