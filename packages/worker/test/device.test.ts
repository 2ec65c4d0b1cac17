import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseBackend, isSoftwareAdapter } from '../src/runtime/device.js';
import { DEFAULT_WASM_THREADS, servableThreads, wasmThreads } from '../src/runtime/wasm-threads.js';
import { DEFAULT_NODE_THREADS, nodeThreads } from '../src/runtime/node-threads.js';

describe('isSoftwareAdapter', () => {
  it('rejects fallback and SwiftShader adapters, accepts a hardware one', () => {
    expect(isSoftwareAdapter({ isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter({ info: { isFallbackAdapter: true } })).toBe(true);
    expect(isSoftwareAdapter({ info: { vendor: 'google', architecture: 'swiftshader' } })).toBe(true);
    expect(isSoftwareAdapter({ info: { vendor: 'nvidia', architecture: 'hopper' } })).toBe(false);
  });
});

describe('chooseBackend (as in a browser: no Node process, a navigator.gpu)', () => {
  afterEach(() => vi.unstubAllGlobals());
  const browserWith = (adapter: unknown) => {
    vi.stubGlobal('process', undefined);
    vi.stubGlobal('window', {});
    vi.stubGlobal('navigator', adapter === 'no gpu' ? {} : { gpu: { requestAdapter: async () => adapter } });
  };

  it('auto picks WebGPU on a hardware adapter and says which', async () => {
    browserWith({ info: { vendor: 'nvidia', architecture: 'hopper' } });
    expect(await chooseBackend('auto')).toEqual({ backend: 'webgpu', reason: 'auto: hardware WebGPU adapter (nvidia hopper)' });
  });

  it('auto runs WASM on a software adapter, without an adapter or without WebGPU, and says why', async () => {
    browserWith({ info: { vendor: 'google', architecture: 'swiftshader' } });
    expect(await chooseBackend('auto')).toEqual({ backend: 'wasm', reason: 'auto: the WebGPU adapter is software (google swiftshader), slower than WASM' });
    browserWith(null);
    expect(await chooseBackend()).toEqual({ backend: 'wasm', reason: 'auto: no WebGPU adapter' });
    browserWith('no gpu');
    expect(await chooseBackend()).toEqual({ backend: 'wasm', reason: 'auto: no WebGPU adapter' });
  });

  it('a named device is used as asked', async () => {
    browserWith(null);
    expect(await chooseBackend('webgpu')).toEqual({ backend: 'webgpu', reason: 'webgpu requested' });
  });
});

describe('wasmThreads', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('runs one thread where the page is not cross-origin isolated (no SharedArrayBuffer)', () => {
    vi.stubGlobal('crossOriginIsolated', false);
    vi.stubGlobal('navigator', { hardwareConcurrency: 8 });
    expect(wasmThreads()).toBe(1);
    expect(wasmThreads(4)).toBe(1);
  });

  it('isolated: the default or the count asked for, at most one per core', () => {
    vi.stubGlobal('crossOriginIsolated', true);
    vi.stubGlobal('navigator', { hardwareConcurrency: 8 });
    expect(wasmThreads('auto')).toBe(DEFAULT_WASM_THREADS);
    expect(wasmThreads(3)).toBe(3);
    vi.stubGlobal('navigator', { hardwareConcurrency: 1 });
    expect(wasmThreads(3)).toBe(1);
  });

  it('refuses a count that is not a whole number >= 1', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => wasmThreads(bad)).toThrow(/threads must be 'auto' or a whole number >= 1/);
  });
});

describe('nodeThreads', () => {
  it('runs one intra-op thread for auto, whatever the cores, and the count asked for otherwise', () => {
    vi.stubGlobal('navigator', { hardwareConcurrency: 8 });
    expect(nodeThreads()).toBe(DEFAULT_NODE_THREADS);
    expect(DEFAULT_NODE_THREADS).toBe(1);
    expect(nodeThreads(4)).toBe(4);
    for (const bad of [0, 2.5, Number.NaN]) expect(() => nodeThreads(bad)).toThrow(/threads must be 'auto' or a whole number >= 1/);
  });
});

describe('servableThreads', () => {
  afterEach(() => vi.unstubAllGlobals());
  const serving = (status: number, headers: Record<string, string>) => {
    const seen: string[] = [];
    vi.stubGlobal('fetch', async (url: string, init?: { method?: string }) => {
      seen.push(`${init?.method} ${url}`);
      return new Response(null, { status, headers });
    });
    return seen;
  };

  it('keeps the threads when ORT\'s script carries COEP, asking once per script URL with HEAD', async () => {
    const seen = serving(200, { 'Cross-Origin-Embedder-Policy': 'require-corp' });
    expect(await servableThreads(2, 'http://app.test/ort/ort.mjs')).toEqual({ threads: 2 });
    expect(await servableThreads(2, 'http://app.test/ort/ort.mjs')).toEqual({ threads: 2 });
    expect(seen).toEqual(['HEAD http://app.test/ort/ort.mjs']);
  });

  it('falls back to one thread, saying why, when the script lacks COEP, is missing or unreachable', async () => {
    serving(200, {});
    expect(await servableThreads(2, 'http://app.test/a/ort.mjs')).toEqual({
      threads: 1, note: '1 WASM thread: http://app.test/a/ort.mjs has no Cross-Origin-Embedder-Policy header',
    });
    serving(404, {});
    expect((await servableThreads(2, 'http://app.test/b/ort.mjs')).note).toMatch(/answered 404$/);
    vi.stubGlobal('fetch', async () => { throw new TypeError('Failed to fetch'); });
    expect((await servableThreads(2, 'http://app.test/c/ort.mjs')).note).toMatch(/unreachable \(Failed to fetch\)$/);
    expect(await servableThreads(2, undefined)).toEqual({ threads: 1, note: '1 WASM thread: wasmPaths names no ORT script to check' });
  });

  it('asks again after the script was unreachable (no answer is remembered)', async () => {
    vi.stubGlobal('fetch', async () => { throw new TypeError('Failed to fetch'); });
    expect((await servableThreads(2, 'http://app.test/d/ort.mjs')).threads).toBe(1);
    const seen = serving(200, { 'Cross-Origin-Embedder-Policy': 'credentialless' });
    expect(await servableThreads(2, 'http://app.test/d/ort.mjs')).toEqual({ threads: 2 });
    expect(seen).toEqual(['HEAD http://app.test/d/ort.mjs']);
  });

  it('asks nothing for one thread', async () => {
    const seen = serving(200, {});
    expect(await servableThreads(1, 'http://app.test/e/ort.mjs')).toEqual({ threads: 1 });
    expect(seen).toEqual([]);
  });
});
