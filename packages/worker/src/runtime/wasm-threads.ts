// How many threads onnxruntime-web's WASM runs: asked for, possible in this
// page, and servable (its thread workers start from ORT's own script).

/** WASM threads: a count, or 'auto' (DEFAULT_WASM_THREADS where threads are possible). */
export type WasmThreads = number | 'auto';

/**
 * What 'auto' asks for (capped by the cores). Measured on 2 cores, Chromium WASM, q8 (its
 * weights unpacked at load, session-options.ts), decoding everything (`npm run bench --
 * --browser wasm --threads N --limit 4 --keys 3 --min-confidence 0`): 1 thread 3.8 s
 * speculative / 7.9 s greedy, 2 threads 4.0 / 9.8 s with the machine idle; 4.7 vs 7.6 s
 * speculative with a training run on the other core. A pass of a model this small is too
 * short to share; threads paid only while every pass dequantized all weights. More threads
 * may pay for a larger model: ask for a count.
 */
export const DEFAULT_WASM_THREADS = 1;

/** 'auto' or a whole number >= 1. */
export function isWasmThreads(value: unknown): value is WasmThreads {
  return value === 'auto' || (typeof value === 'number' && Number.isInteger(value) && value >= 1);
}

/** `requested` if it is 'auto' or a whole number >= 1, else a clear error (the one check for every backend). */
export function checkThreads(requested: unknown): WasmThreads {
  if (!isWasmThreads(requested)) {
    throw new Error(`nextedit: threads must be 'auto' or a whole number >= 1, not ${String(requested)}`);
  }
  return requested;
}

/**
 * onnxruntime-web's thread count. Threads need SharedArrayBuffer: a
 * cross-origin isolated page (COOP/COEP), whose worker scripts, ORT's own
 * included, are served with COEP too (ERR_BLOCKED_BY_RESPONSE otherwise).
 * Elsewhere one thread (Node's count is node-threads.ts's).
 */
export function wasmThreads(requested: WasmThreads = 'auto'): number {
  checkThreads(requested);
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  if (!isolated) return 1;
  const cores = (globalThis.navigator as { hardwareConcurrency?: number } | undefined)?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(requested === 'auto' ? DEFAULT_WASM_THREADS : requested, cores));
}

/**
 * `threads`, or 1 with the reason when ORT's script (`script`, the `.mjs` its
 * thread workers start from) lacks the COEP header a cross-origin isolated page
 * demands of worker scripts: Chromium refuses the thread workers and ORT waits
 * for them forever (the load never ends). One check per script URL and realm.
 */
export function servableThreads(threads: number, script: string | undefined): Promise<{ threads: number; note?: string }> {
  if (threads <= 1) return Promise.resolve({ threads });
  if (script === undefined) return Promise.resolve({ threads: 1, note: '1 WASM thread: wasmPaths names no ORT script to check' });
  const url = new URL(script, (globalThis as { location?: { href: string } }).location?.href).href;
  let answer = answered.get(url);
  if (!answer) {
    answer = fetch(url, { method: 'HEAD' }).then((res) => {
      const coep = res.headers.get('cross-origin-embedder-policy');
      if (res.ok && (coep === 'require-corp' || coep === 'credentialless')) return undefined;
      return `1 WASM thread: ${url} ${res.ok ? 'has no Cross-Origin-Embedder-Policy header' : `answered ${res.status}`}`;
    });
    answered.set(url, answer);
    answer.catch(() => answered.delete(url)); // unreachable now is no answer: ask again next time
  }
  return answer.then(
    (note) => (note === undefined ? { threads } : { threads: 1, note }),
    (e) => ({ threads: 1, note: `1 WASM thread: ${url} unreachable (${(e as Error).message})` }),
  );
}

// The server's answer per script URL (undefined: servable, else why not): one HEAD request per
// realm, not one per model load.
const answered = new Map<string, Promise<string | undefined>>();
