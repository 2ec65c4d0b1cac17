// Bench page: runs the bench worker on request and forwards its lines to the
// harness (`nxBenchLog`, exposed by Playwright) while it runs.
import type { BenchMessage, BenchRequest } from './protocol.js';
import type { BenchSummary } from '../run-bench.js';

type Page = { nxBenchLog?(kind: 'log' | 'progress', line: string): void };

function bench(req: BenchRequest): Promise<BenchSummary> {
  const w = new Worker(new URL('./bench-worker.ts', import.meta.url), { type: 'module' });
  const forward = (globalThis as Page).nxBenchLog ?? (() => undefined);
  return new Promise<BenchSummary>((resolve, reject) => {
    w.onmessage = (e: MessageEvent<BenchMessage>) => {
      const m = e.data;
      if (m.type === 'log' || m.type === 'progress') void forward(m.type, m.line);
      else if (m.type === 'done') resolve(m.summary);
      else {
        if (m.stack) void forward('progress', `worker error: ${m.stack}`);
        reject(new Error(m.message));
      }
    };
    w.onerror = (e) => reject(new Error(`bench worker failed: ${e.message || 'could not start (see the page console)'}`));
    w.postMessage(req);
  }).finally(() => w.terminate());
}

(window as unknown as { nxBench: typeof bench }).nxBench = bench;
