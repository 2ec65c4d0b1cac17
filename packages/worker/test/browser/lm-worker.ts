// Runs the transformers.js backend inside a module worker (WASM or WebGPU)
// and reports how far cached/truncated logits are from recomputed ones.
import { env } from '@huggingface/transformers';
import type { Logits } from '@nextedit/core';
import { loadModel } from '../../src/runtime/load-model.js';

function maxDiff(a: Logits, aRow: number, b: Logits, bRow: number, rows: number): number {
  const v = a.vocabSize;
  let m = 0;
  for (let i = 0; i < rows * v; i++) m = Math.max(m, Math.abs(a.data[aRow * v + i]! - b.data[bRow * v + i]!));
  return m;
}

self.onmessage = async (e: MessageEvent<{ device: 'wasm' | 'webgpu'; dtype: 'fp32' | 'q8' }>) => {
  try {
    (env.backends.onnx as { wasm: { wasmPaths: string } }).wasm.wasmPaths = '/ort/';
    const { lm, backend, fallback } = await loadModel('/model', { device: e.data.device, dtype: e.data.dtype });
    const toks = [11, 250, 37, 1020, 7, 99, 400, 12, 13, 2048];
    const full = await lm.forward(toks);
    const fullCopy: Logits = { ...full, data: full.data.slice() };
    await lm.truncate(4);
    const rest = await lm.forward(toks.slice(4));
    const splitDiff = maxDiff(rest, 0, fullCopy, 4, toks.length - 4);
    // Many forward+rollback cycles: the cache stays consistent (and memory flat).
    for (let i = 0; i < 50; i++) {
      await lm.truncate(6);
      await lm.forward([3000 + i, 12]);
    }
    await lm.truncate(4);
    const again = await lm.forward(toks.slice(4));
    const cycleDiff = maxDiff(again, 0, fullCopy, 4, toks.length - 4);
    await lm.dispose();
    postMessage({ backend, fallback, splitDiff, cycleDiff, length: toks.length });
  } catch (err) {
    postMessage({ error: String((err as Error).stack ?? err) });
  }
};
