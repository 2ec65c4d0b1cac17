import { describe, expect, it } from 'vitest';
import { ORT_BUILDS, ORT_RUNTIME_FILES, ortThreadScript, ortWasmPaths } from '../src/runtime/ort-build.js';
import { ortDistDir } from '../src/vite/plugin.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

describe('ORT builds', () => {
  it('a wasmPaths folder becomes the chosen build\'s two files', () => {
    expect(ortWasmPaths('/ort/', 'wasm')).toEqual({ mjs: '/ort/ort-wasm-simd-threaded.mjs', wasm: '/ort/ort-wasm-simd-threaded.wasm' });
    expect(ortWasmPaths('https://cdn.test/ort/', 'webgpu')).toEqual({
      mjs: 'https://cdn.test/ort/ort-wasm-simd-threaded.asyncify.mjs', wasm: 'https://cdn.test/ort/ort-wasm-simd-threaded.asyncify.wasm',
    });
  });

  it('keeps wasmPaths an app gave as files, or none', () => {
    const own = { mjs: '/x/a.mjs', wasm: '/x/a.wasm' };
    expect(ortWasmPaths(own, 'wasm')).toBe(own);
    expect(ortWasmPaths(undefined, 'wasm')).toBeUndefined();
  });

  it('names the thread workers\' script', () => {
    expect(ortThreadScript(ortWasmPaths('/ort/', 'wasm'))).toBe('/ort/ort-wasm-simd-threaded.mjs');
    expect(ortThreadScript('/ort/')).toBeUndefined();
  });

  it('every runtime file is in the onnxruntime-web that transformers.js uses', () => {
    expect(ORT_RUNTIME_FILES).toEqual([ORT_BUILDS.webgpu.mjs, ORT_BUILDS.webgpu.wasm, ORT_BUILDS.wasm.mjs, ORT_BUILDS.wasm.wasm]);
    for (const f of ORT_RUNTIME_FILES) expect(existsSync(join(ortDistDir(), f)), f).toBe(true);
  });
});
