import { describe, expect, it } from 'vitest';
import { isSoftwareAdapter } from '../src/runtime/device.js';

describe('isSoftwareAdapter', () => {
  it('rejects fallback and SwiftShader adapters, accepts a hardware one', () => {
    expect(isSoftwareAdapter({ isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter({ info: { isFallbackAdapter: true } })).toBe(true);
    expect(isSoftwareAdapter({ info: { vendor: 'google', architecture: 'swiftshader' } })).toBe(true);
    expect(isSoftwareAdapter({ info: { vendor: 'nvidia', architecture: 'hopper' } })).toBe(false);
  });
});
