// Test page: a converted Hugging Face model loaded by hub id in the real worker
// (WorkerPredictor -> worker-entry), predicting through its prompt format.
import type { LoadProgress, PredictRequest } from '@nextedit/core';
import { WorkerPredictor } from '../../../packages/worker/src/worker/client.js';

const createWorker = () => new Worker(new URL('../../../packages/worker/src/worker/worker-entry.ts', import.meta.url), { type: 'module' });

// The user renamed one call of area() to size(): the other uses are the candidates.
const text = 'def area(w, h):\n    return w * h\n\nprint(size(2, 3))\nprint(area(4, 5))\n';
const request: PredictRequest = {
  path: 'a.py',
  text,
  cursor: text.indexOf('size') + 4,
  events: ['--- a/a.py\n+++ b/a.py\n@@ -4 +4 @@\n-print(area(2, 3))\n+print(size(2, 3))\n'],
};

/** Load `model` (a hub id) on `device`, predict `count` keystrokes, report what happened. */
async function hubCheck(model: string, device: 'wasm' | 'webgpu', dtype: 'fp32' | 'q8' | 'q4', count = 6): Promise<unknown> {
  const p = new WorkerPredictor({ createWorker });
  const progress: LoadProgress[] = [];
  const t0 = performance.now();
  try {
    await p.load({ model, device, dtype, wasmPaths: '/ort/', mode: 'speculative' }, { onProgress: (e) => progress.push(e) });
    const loadMs = performance.now() - t0;
    const predictions: unknown[] = [];
    const latencies: number[] = [];
    for (let i = 0; i < count; i++) {
      // Keystrokes after the rename: the prompt's prefix stays cached.
      const typed = text.replace('print(size(2, 3))', 'print(size(2, 3))' + ' '.repeat(i));
      const t = performance.now();
      const r = await p.predict({ ...request, text: typed });
      latencies.push(performance.now() - t);
      predictions.push(r && { edits: r.edits, madeBy: r.stats.madeBy, prompt: r.debug?.prompt ?? '', cachedTokens: r.stats.cachedTokens });
    }
    return { ok: true, status: p.status(), stats: p.stats(), loadMs, latencies, predictions, progressFiles: [...new Set(progress.map((e) => e.file))] };
  } catch (e) {
    return { ok: false, message: String((e as Error).message ?? e), status: p.status() };
  } finally {
    p.dispose();
  }
}

(window as unknown as { nx: object }).nx = { hubCheck };
