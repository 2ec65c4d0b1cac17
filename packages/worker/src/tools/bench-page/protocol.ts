// Messages between the bench page and its module worker.
import type { EditCase } from '@nextedit/core';
import type { BenchSummary } from '../run-bench.js';
import type { WasmThreads } from '../../runtime/wasm-threads.js';

export interface BenchRequest {
  device: 'wasm' | 'webgpu';
  /** URL prefixes of the main and draft model folders. */
  model: string;
  draft: string;
  /** Where onnxruntime-web's `.mjs`/`.wasm` files are served. */
  wasmPaths: string;
  cases: EditCase[];
  keys: number;
  dtype?: 'fp32' | 'q8';
  threads?: WasmThreads;
  minConfidence?: number;
  adaptiveDraft?: boolean;
  warm?: boolean;
  /** Names for the header line (the folders as given on the command line). */
  names: { model: string; draft: string };
}

export type BenchMessage =
  | { type: 'log'; line: string }
  | { type: 'progress'; line: string }
  | { type: 'done'; summary: BenchSummary }
  | { type: 'error'; message: string; stack?: string };
