// The bench in a module Web Worker: loads the models with the worker-side
// loader (WASM or WebGPU) over HTTP and runs the same runBench as Node.
import { env } from '@huggingface/transformers';
import { loadBenchModels } from '../load-bench-models.js';
import { runBench } from '../run-bench.js';
import type { BenchMessage, BenchRequest } from './protocol.js';

const send = (m: BenchMessage) => postMessage(m);

self.onmessage = async (e: MessageEvent<BenchRequest>) => {
  const req = e.data;
  try {
    (env.backends.onnx as { wasm: { wasmPaths: string } }).wasm.wasmPaths = req.wasmPaths;
    send({ type: 'progress', line: `loading models on ${req.device}` });
    const t0 = performance.now();
    const [main, draft, tokenizer] = await loadBenchModels(req.model, req.draft, { device: req.device, dtype: req.dtype, threads: req.threads });
    send({ type: 'progress', line: `loaded in ${(performance.now() - t0).toFixed(0)} ms, backend ${main.backend}, ${main.threads} thread(s), crossOriginIsolated ${self.crossOriginIsolated}` });
    for (const f of [main.fallback, draft.fallback]) if (f) send({ type: 'progress', line: f });
    try {
      const summary = await runBench({
        main, draft, tokenizer, cases: req.cases, keys: req.keys, names: req.names, minConfidence: req.minConfidence, adaptiveDraft: req.adaptiveDraft, warm: req.warm,
        log: (line) => send({ type: 'log', line }),
        progress: (line) => send({ type: 'progress', line }),
      });
      send({ type: 'done', summary });
    } finally {
      await main.lm.dispose();
      await draft.lm.dispose();
    }
  } catch (err) {
    send({ type: 'error', message: (err as Error).message ?? String(err), stack: (err as Error).stack });
  }
};
