// Which runtime to use: onnxruntime-node in Node, WebGPU in a browser that has
// an adapter, else WASM (threaded when the page is cross-origin isolated).

export type DeviceChoice = 'webgpu' | 'wasm' | 'auto';
/** What actually runs: reported as `backend` in stats. */
export type BackendName = 'node' | 'webgpu' | 'wasm';

export function isNode(): boolean {
  return typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';
}

interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string; description?: string };
}

/** A software adapter (SwiftShader, or one the browser marks as a fallback) is no GPU to run a model on. */
export function isSoftwareAdapter(adapter: AdapterLike): boolean {
  if (adapter.isFallbackAdapter || adapter.info?.isFallbackAdapter) return true;
  const { vendor = '', architecture = '', description = '' } = adapter.info ?? {};
  return /swiftshader|llvmpipe|software/i.test(`${vendor} ${architecture} ${description}`);
}

/** What navigator.gpu offers: a hardware adapter, a software one (with its name), or nothing. */
export async function probeWebGpu(): Promise<{ kind: 'hardware' | 'software' | 'none'; name?: string }> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<AdapterLike | null> } } | undefined)?.gpu;
  if (!gpu) return { kind: 'none' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { kind: 'none' };
    const { vendor = '', architecture = '' } = adapter.info ?? {};
    const name = `${vendor} ${architecture}`.trim() || undefined;
    return { kind: isSoftwareAdapter(adapter) ? 'software' : 'hardware', ...(name ? { name } : {}) };
  } catch {
    return { kind: 'none' };
  }
}

/** A hardware WebGPU adapter is available (software ones do not count). */
export async function hasWebGpu(): Promise<boolean> {
  return (await probeWebGpu()).kind === 'hardware';
}

/** The backend to run and why, for the status line. */
export interface BackendChoice { backend: BackendName; reason: string }

/**
 * `auto`: WebGPU on a hardware adapter, else WASM: headless Chromium's
 * software adapter took 30-70 s a suggestion where WASM took ~0.3 s.
 */
export async function chooseBackend(choice: DeviceChoice = 'auto'): Promise<BackendChoice> {
  if (isNode()) return { backend: 'node', reason: 'Node: onnxruntime-node' };
  if (choice !== 'auto') return { backend: choice, reason: `${choice} requested` };
  const gpu = await probeWebGpu();
  if (gpu.kind === 'hardware') return { backend: 'webgpu', reason: `auto: hardware WebGPU adapter${gpu.name ? ` (${gpu.name})` : ''}` };
  return {
    backend: 'wasm',
    reason: gpu.kind === 'software'
      ? `auto: the WebGPU adapter is software${gpu.name ? ` (${gpu.name})` : ''}, slower than WASM`
      : 'auto: no WebGPU adapter',
  };
}

export async function pickBackend(choice: DeviceChoice = 'auto'): Promise<BackendName> {
  return (await chooseBackend(choice)).backend;
}

/** transformers.js's `device` option for a backend (Node's onnxruntime-node is 'cpu'). */
export function transformersDevice(b: BackendName): 'cpu' | 'webgpu' | 'wasm' {
  return b === 'node' ? 'cpu' : b;
}
