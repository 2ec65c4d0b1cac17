// How many intra-op threads onnxruntime-node runs a session with.
import { checkThreads, type WasmThreads } from './wasm-threads.js';

/**
 * What 'auto' asks for on Node. onnxruntime-node's own default is a thread per
 * core, and for a model this small most passes feed one token: measured on 2
 * cores, q8 student, decoding everything (`npm run bench -- --threads N`), one
 * thread took 1.5x less wall time than 2 with the machine idle (speculative
 * 6.0 s vs 9.1 s) and 2.1x less beside a training run (5.7 s vs 12.0 s).
 * Larger models may want more: pass a count.
 */
export const DEFAULT_NODE_THREADS = 1;

/** onnxruntime-node's intra-op thread count for `requested`. */
export function nodeThreads(requested: WasmThreads = 'auto'): number {
  const checked = checkThreads(requested);
  return checked === 'auto' ? DEFAULT_NODE_THREADS : checked;
}
