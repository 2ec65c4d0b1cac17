import type { LoadProgress, Predictor, PredictorStatus } from '@nextedit/core';
// The browser-only entry: the package root would pull Node-only parts into the page.
import { WorkerPredictor, type ModelSource } from '@nextedit/worker/client';

export interface LoadedModel {
  predictor: Predictor;
  status(): PredictorStatus;
  /** Requests the worker answered (a held-back prediction counts too). */
  stats(): { requests: number; completed: number; backend?: string };
}
/** The worker's model options, with the weights and runtime the panel always picks. */
export type ModelChoice = ModelSource & Required<Pick<ModelSource, 'dtype' | 'device'>>;

async function served(name: string): Promise<string | undefined> {
  const r = await fetch(`/models/${name}/config.json`, { method: 'HEAD' }).catch(() => null);
  return r?.ok ? new URL(`/models/${name}`, location.href).href : undefined;
}

/** The bundled student (with its draft model) when served, else the tiny random test model. */
export async function bundledModel(): Promise<{ model: string; draft?: string }> {
  const student = await served('nextedit-student');
  if (student) return { model: student, draft: await served('nextedit-draft') };
  const tiny = await served('tiny-random');
  if (tiny) return { model: tiny };
  throw new Error('no bundled model is served under /models/ (nextedit-student, tiny-random)');
}

/** Fail fast, with the URL and HTTP status, when a model URL serves no config. */
async function preflight(model: string): Promise<void> {
  if (!/^(https?:)?\//.test(model)) return; // a hub id: the worker resolves it
  const url = `${model.replace(/\/$/, '')}/config.json`;
  // A browser does not say why a fetch failed; across origins, missing CORS headers are the usual reason.
  const why = new URL(url, location.href).origin === location.origin ? '' : ' (is the server up, and does it send Access-Control-Allow-Origin? A model on another origin needs CORS)';
  const r = await fetch(url).catch((e: Error) => { throw new Error(`cannot fetch ${url}: ${e.message}${why}`); });
  if (!r.ok) throw new Error(`no model at ${model} (${url}: HTTP ${r.status})`);
}

/** Load a model in a fresh worker; the caller swaps it in only on success. */
export async function loadModel(choice: ModelChoice, onProgress: (p: LoadProgress) => void): Promise<LoadedModel> {
  await preflight(choice.model);
  const p = new WorkerPredictor();
  try {
    // ORT's wasm is self-hosted at /ort/ (see vite.config.ts): no CDN, works offline.
    await p.load({ ...choice, wasmPaths: new URL('/ort/', location.href).href }, { onProgress });
  } catch (e) {
    await p.dispose?.();
    throw e;
  }
  return { predictor: p, status: () => p.status(), stats: () => p.stats() };
}
