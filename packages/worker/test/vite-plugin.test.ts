// The worker's defaults (issue 16 item 2) and the @nextedit/worker/vite plugin in
// `vite dev` (item 3): it serves exactly ORT's run-time pair and the bundled
// models' runtime files, with their MIME types, at the defaults' URLs. The build
// side (emitted files, a real page) is checked by pack-install.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type ViteDevServer } from 'vite';
import { DEFAULT_WASM_PATHS, withDefaults } from '../src/worker/defaults.js';
import { nextedit, ORT_RUNTIME_FILES } from '../src/vite/plugin.js';

describe('withDefaults', () => {
  it('no model named: the bundled student + draft in q8, ORT from /ort/', () => {
    expect(withDefaults()).toEqual({
      model: '/nextedit-models/nextedit-student', draft: '/nextedit-models/nextedit-draft', dtype: 'q8', wasmPaths: '/ort/',
    });
    expect(withDefaults({ device: 'wasm', dtype: 'fp32' })).toMatchObject({ model: '/nextedit-models/nextedit-student', dtype: 'fp32', device: 'wasm' });
  });

  it('a named model gets no bundled draft and no dtype; a given wasmPaths stays', () => {
    expect(withDefaults({ model: '/models/mine', wasmPaths: '/static/ort/' })).toEqual({ model: '/models/mine', wasmPaths: '/static/ort/' });
  });
});

describe('nextedit() in vite dev', () => {
  let server: ViteDevServer;
  let base: string;
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'nextedit-vite-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><p>app</p>');
    server = await createServer({
      root, configFile: false, logLevel: 'error', plugins: [nextedit()],
      server: { port: 0, hmr: false, ws: false, watch: null },
    });
    await server.listen();
    const address = server.httpServer!.address();
    base = `http://localhost:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("serves onnxruntime-web's two builds (asyncify for WebGPU, WASM-only) at /ort/ with wasm/js MIME types, and no other ORT file", async () => {
    expect(ORT_RUNTIME_FILES).toHaveLength(4);
    for (const f of ORT_RUNTIME_FILES) {
      const res = await fetch(`${base}${DEFAULT_WASM_PATHS}${f}`);
      expect(res.status, f).toBe(200);
      expect(res.headers.get('content-type')).toBe(f.endsWith('.wasm') ? 'application/wasm' : 'text/javascript');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      await res.arrayBuffer();
    }
    expect((await fetch(`${base}/ort/ort-wasm-simd-threaded.jsep.wasm`)).status).toBe(404);
  });

  it('sends COEP (ORT starts its thread workers from its .mjs), answers Range requests and revalidates', async () => {
    const url = `${base}/nextedit-models/nextedit-draft/onnx/model_quantized.onnx`;
    const whole = await fetch(url);
    const size = Number(whole.headers.get('content-length'));
    const bytes = new Uint8Array(await whole.arrayBuffer());
    expect(whole.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    // transformers.js's size probe: one byte, and the size in Content-Range.
    const probe = await fetch(url, { headers: { Range: 'bytes=0-0' } });
    expect(probe.status).toBe(206);
    expect(probe.headers.get('content-range')).toBe(`bytes 0-0/${size}`);
    expect(new Uint8Array(await probe.arrayBuffer())).toEqual(bytes.slice(0, 1));
    const tail = await fetch(url, { headers: { Range: 'bytes=-10' } });
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(bytes.slice(size - 10));
    const past = await fetch(url, { headers: { Range: `bytes=${size}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${size}`);
    await past.arrayBuffer();
    // Several ranges are not served partly: the whole file, as RFC 9110 allows.
    const several = await fetch(url, { headers: { Range: 'bytes=0-1,5-6' } });
    expect(several.status).toBe(200);
    await several.arrayBuffer();
    // As a browser revalidates (fetch() would add `Cache-Control: no-cache`, which asks for the whole file).
    const again = await fetch(url, { headers: { 'If-None-Match': whole.headers.get('etag')!, 'Cache-Control': 'max-age=0' } });
    expect(again.status).toBe(304);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(size);
  });

  it("serves the bundled models' runtime files at /nextedit-models/, not their fp32 weights or other files", async () => {
    const config = await fetch(`${base}/nextedit-models/nextedit-student/config.json`);
    expect(config.status).toBe(200);
    expect(((await config.json()) as { nextedit?: unknown }).nextedit).toBeDefined();
    const q8 = await fetch(`${base}/nextedit-models/nextedit-draft/onnx/model_quantized.onnx`);
    expect(q8.status).toBe(200);
    expect(Number(q8.headers.get('content-length'))).toBeGreaterThan(100_000);
    await q8.arrayBuffer();
    for (const no of ['nextedit-student/onnx/model.onnx', 'nextedit-student/DATA.md', 'tiny-random/config.json', 'train/model.py']) {
      expect((await fetch(`${base}/nextedit-models/${no}`)).status, no).toBe(404);
    }
  });
});
