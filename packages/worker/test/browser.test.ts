// The real worker in Chromium (Vite dev server, COOP/COEP, self-hosted ORT
// wasm, the test model served from /model/): WASM and WebGPU (SwiftShader).
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createServer, type Plugin, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTestModel, testModel } from './model-dir.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const ortDir = fileURLToPath(new URL('../../../node_modules/onnxruntime-web/dist', import.meta.url));
const hasChromium = existsSync('/usr/bin/chromium');

function serveDir(prefix: string, dir: string): Plugin {
  return {
    name: `serve${prefix}`,
    configureServer(s) {
      s.middlewares.use((req, res, next) => {
        const url = decodeURIComponent((req.url ?? '').split('?')[0]!);
        if (!url.startsWith(prefix)) return next();
        const file = normalize(join(dir, url.slice(prefix.length)));
        if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
          res.statusCode = 404;
          return res.end('not found');
        }
        res.setHeader('Content-Type', file.endsWith('.mjs') ? 'text/javascript' : file.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream');
        res.setHeader('Content-Length', statSync(file).size);
        res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
        createReadStream(file).pipe(res);
      });
    },
  };
}

let server: ViteDevServer;
let context: BrowserContext;
let page: Page;
let profile: string;

describe.skipIf(!hasTestModel || !hasChromium)('worker in Chromium', () => {
  beforeAll(async () => {
    server = await createServer({
      root: join(here, 'browser'),
      configFile: false,
      logLevel: 'error',
      resolve: { conditions: ['source'] },
      plugins: [serveDir('/model/', testModel), serveDir('/ort/', ortDir)],
      server: {
        port: 0,
        // Others edit the repo meanwhile: no watcher, no HMR reloads mid-test.
        hmr: false,
        watch: null,
        headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
        fs: { allow: [join(here, '../../..')] },
      },
      worker: { format: 'es' },
      optimizeDeps: { noDiscovery: true, include: [] , exclude: ['onnxruntime-web', '@huggingface/transformers'] },
    });
    await server.listen();
    const address = server.httpServer!.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    profile = mkdtempSync(join(tmpdir(), 'nextedit-worker-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => console.error('page error:', e));
    await page.goto(`http://localhost:${port}/`);
    await page.waitForFunction(() => (window as unknown as { nx?: object }).nx !== undefined, undefined, { timeout: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  for (const device of ['webgpu', 'wasm'] as const) {
    it(`backend on ${device}: cached and rolled-back logits equal recomputed ones`, async () => {
      const r = (await page.evaluate((d) => (window as any).nx.lmCheck(d, 'fp32'), device)) as Record<string, unknown>;
      expect(r.error).toBeUndefined();
      // WebGPU may be unavailable (then WASM runs and says why); WASM is WASM.
      if (device === 'wasm') expect(r.backend).toBe('wasm');
      else expect(r.backend === 'webgpu' || typeof r.fallback === 'string').toBe(true);
      expect(r.splitDiff as number).toBeLessThan(1e-3);
      expect(r.cycleDiff as number).toBeLessThan(1e-3);
    }, 120_000);
  }

  it('WorkerPredictor predicts, cancels superseded and aborted requests, restarts a killed worker', async () => {
    const r = (await page.evaluate(() => (window as any).nx.predictorCheck('wasm'))) as any;
    expect(r.first.ok).toBe(true);
    expect(r.burst.map((b: any) => b.ok)).toEqual([false, false, true]);
    expect(r.burst[0].name).toBe('AbortError');
    expect(r.abortedResult).toMatchObject({ ok: false, name: 'AbortError' });
    expect(r.killed.ok).toBe(false);
    expect(r.killed.message).toMatch(/restarting/);
    expect(r.afterRestart.ok).toBe(true);
    expect(r.stats.restarts).toBe(1);
    expect(r.statuses.some((s: string) => s.startsWith('loading:restarted'))).toBe(true);
    expect(r.backend).toBe('wasm');
  }, 180_000);
});
