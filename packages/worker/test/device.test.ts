import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseBackend, isSoftwareAdapter } from '../src/runtime/device.js';

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
