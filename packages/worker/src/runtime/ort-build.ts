// Which onnxruntime-web WebAssembly build a realm loads. transformers.js imports
// onnxruntime-web/webgpu, whose own build (asyncify, 27 MB) runs WebGPU and WASM.
// ORT's WASM-only build (14 MB) runs the same CPU kernels without the WebGPU glue,
// so a realm whose first model runs on WASM loads that one: half the bytes to
// fetch and compile before the model is ready.

export const ORT_BUILDS = {
  webgpu: { mjs: 'ort-wasm-simd-threaded.asyncify.mjs', wasm: 'ort-wasm-simd-threaded.asyncify.wasm' },
  wasm: { mjs: 'ort-wasm-simd-threaded.mjs', wasm: 'ort-wasm-simd-threaded.wasm' },
} as const;

export type OrtBuild = keyof typeof ORT_BUILDS;

/** Every file either build loads at run time (what a server must serve under wasmPaths). */
export const ORT_RUNTIME_FILES: readonly string[] = Object.values(ORT_BUILDS).flatMap((b) => [b.mjs, b.wasm]);

/**
 * ORT's `wasmPaths` for `build`: a folder prefix becomes that build's two
 * files; anything else (an app's own `{ mjs, wasm }`, or nothing) is kept.
 */
export function ortWasmPaths(wasmPaths: unknown, build: OrtBuild): unknown {
  if (typeof wasmPaths !== 'string') return wasmPaths;
  const files = ORT_BUILDS[build];
  return { mjs: wasmPaths + files.mjs, wasm: wasmPaths + files.wasm };
}

/** The script ORT's thread workers start from under these wasmPaths, if they name one. */
export function ortThreadScript(wasmPaths: unknown): string | undefined {
  const mjs = (wasmPaths as { mjs?: unknown } | undefined)?.mjs;
  return typeof mjs === 'string' ? mjs : undefined;
}
