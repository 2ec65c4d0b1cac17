// Test page: exposes the worker backend check and a WorkerPredictor to Playwright.
import { WorkerPredictor } from '../../src/worker/client.js';
import { FallbackPredictor, type EditPrediction, type PredictRequest, type Predictor } from '@nextedit/core';

const createWorker = () => new Worker(new URL('../../src/worker/worker-entry.ts', import.meta.url), { type: 'module' });

function lmCheck(device: 'wasm' | 'webgpu', dtype: 'fp32' | 'q8'): Promise<unknown> {
  const w = new Worker(new URL('./lm-worker.ts', import.meta.url), { type: 'module' });
  return new Promise((resolve) => {
    w.onmessage = (e) => {
      w.terminate();
      resolve(e.data);
    };
    w.onerror = (e) => resolve({ error: e.message });
    w.postMessage({ device, dtype });
  });
}

const request: PredictRequest = {
  path: 'src/a.ts',
  text: 'function add(a, b) {\n  return a + b;\n}\n',
  cursor: 20,
  events: [],
};

const settle = (p: Promise<unknown>) =>
  p.then(
    (v) => ({ ok: true, value: v }),
    (e: Error) => ({ ok: false, name: e.name, message: e.message }),
  );

async function predictorCheck(device: 'wasm' | 'webgpu'): Promise<unknown> {
  const p = new WorkerPredictor({ createWorker });
  const statuses: string[] = [];
  p.onStatus((s) => statuses.push(s.state + (s.error ? `:${s.error}` : '')));
  // Two threads asked for (auto runs one), so threaded WASM is what this loads.
  await p.load({ model: '/model', device, wasmPaths: '/ort/', threads: 2 });
  const loaded = { ...p.status(), isolated: crossOriginIsolated, cores: navigator.hardwareConcurrency };
  const first = await settle(p.predict(request));
  // Warm-ups through the real worker: the second finds the first's prefill in the model's cache.
  const warms = [await p.warm({ ...request, cursor: 21 }), await p.warm({ ...request, cursor: 21 })];
  // Three quick requests: the first two are superseded, the last one answers.
  const burst = await Promise.all([p.predict(request), p.predict({ ...request, cursor: 21 }), p.predict({ ...request, cursor: 22 })].map(settle));
  const ac = new AbortController();
  const aborted = settle(p.predict(request, { signal: ac.signal }));
  ac.abort();
  const abortedResult = await aborted;
  // Kill the worker mid-request: the call fails (no dead promise) and the worker restarts.
  const inFlight = settle(p.predict(request));
  p.currentWorker!.dispatchEvent(new Event('error'));
  const killed = await inFlight;
  await new Promise<void>((r) => {
    const off = p.onStatus((s) => s.state === 'ready' && (off(), r()));
    if (p.status().state === 'ready') r();
  });
  const afterRestart = await settle(p.predict(request));
  const stats = p.stats();
  p.dispose();
  return { status: p.status(), loaded, backend: stats.backend, first, warms, burst, abortedResult, killed, afterRestart, stats, statuses };
}

const closingWorker = () => new Worker(new URL('./closing-worker.ts', import.meta.url), { type: 'module' });

/** A rule predictor stand-in whose answers say where they came from. */
const rules: Predictor = {
  predict: async (): Promise<EditPrediction> => ({
    edits: [{ from: 0, to: 0, insert: '// rules\n' }],
    stats: { latencyMs: 0, promptTokens: 0, cachedTokens: 0, forwardPasses: 0, generatedTokens: 0, draftProposed: 0, draftAccepted: 0, backend: 'rules' },
  }),
};

const whenReady = (p: WorkerPredictor) =>
  new Promise<void>((r) => {
    const off = p.onStatus((s) => s.state === 'ready' && (off(), r()));
    if (p.status().state === 'ready') r();
  });

/** The real worker dies silently (terminate() from outside, or close() inside): noticed, restarted, the rules answering meanwhile. */
async function deathCheck(how: 'terminate' | 'close'): Promise<unknown> {
  const p = new WorkerPredictor({ createWorker: closingWorker, heartbeatMs: 100, deadAfterMs: 4000, deadWhileBusyMs: 4000, restartDelayMs: 200 });
  const statuses: string[] = [];
  p.onStatus((s) => statuses.push(s.state + (s.error ? `:${s.error}` : '')));
  // whenHeldBack false: the rules speak only while the model cannot, so an answer says who gave it.
  const both = new FallbackPredictor(p, rules, { whenHeldBack: false });
  const who = async () => ((await both.predict(request))?.stats.backend ?? 'model held back');
  await p.load({ model: '/model', device: 'wasm', wasmPaths: '/ort/' });
  const before = await who();
  const worker = p.currentWorker!;
  if (how === 'terminate') worker.terminate();
  else worker.postMessage({ nexteditTestClose: true });
  const t0 = performance.now();
  const during = await who();
  const noticedMs = performance.now() - t0;
  const statusAfterDeath = p.status();
  await whenReady(p);
  const after = await who();
  const result = { before, during, noticedMs, statusAfterDeath, after, status: p.status(), restarts: p.stats().restarts, statuses };
  p.dispose();
  return result;
}

const losingWorker = () => new Worker(new URL('./losing-worker.ts', import.meta.url), { type: 'module' });

/** The WebGPU device is lost after load: the worker restarts on WASM, says why, and predicts there; the rules answer meanwhile. */
async function deviceLossCheck(): Promise<unknown> {
  const p = new WorkerPredictor({ createWorker: losingWorker, restartDelayMs: 100 });
  const statuses: string[] = [];
  p.onStatus((s) => statuses.push(`${s.state}/${s.backend ?? ''}${s.error ? `:${s.error}` : ''}`));
  const both = new FallbackPredictor(p, rules, { whenHeldBack: false });
  await p.load({ model: '/model', device: 'webgpu', wasmPaths: '/ort/' });
  const loadedOn = p.status().backend;
  const before = await settle(p.predict(request));
  const lost = new Promise<void>((r, reject) => {
    const off = p.onStatus((s) => s.state === 'error' && (off(), r()));
    setTimeout(() => reject(new Error(`no loss noticed: ${statuses.join(' | ')}`)), 30_000);
  });
  p.currentWorker!.postMessage({ nexteditTestLoseDevice: true });
  await lost;
  const during = (await both.predict(request))?.stats.backend;
  await whenReady(p);
  const result = { loadedOn, before, during, after: await settle(p.predict(request)), status: p.status(), backend: p.stats().backend, statuses };
  p.dispose();
  return result;
}

(window as unknown as { nx: object }).nx = { lmCheck, predictorCheck, deathCheck, deviceLossCheck };
