// Page-load bench: the demo in headless Chromium, on Vite's dev server and on
// its production build (vite preview), each loaded cold (fresh profile) and then
// warm (same profile, a second visit), until the status says the bundled model
// is ready. Prints per load: time to ready, requests, bytes received (bodies),
// and model/ORT files fetched more than once.
//   npm run bench:page [-- --json] [--dev-only]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { build, createServer, preview } from 'vite';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, 'dev-only': { type: 'boolean', default: false } } });
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const log = values.json ? (l: string) => console.error(l) : (l: string) => console.log(l);

interface LoadFigures { ready_ms: number; requests: number; bytes: number; model_bytes: number; ort_bytes: number; fetched_twice: string[] }

async function measure(kind: 'dev' | 'build'): Promise<{ cold: LoadFigures; warm: LoadFigures }> {
  const configFile = join(repo, 'vite.config.ts');
  let outDir: string | undefined;
  let server: { resolvedUrls: { local: string[] } | null; close(): Promise<void> };
  if (kind === 'dev') {
    const dev = await createServer({ configFile, logLevel: 'error', server: { port: 0, strictPort: false } });
    await dev.listen();
    server = dev;
  } else {
    outDir = mkdtempSync(join(tmpdir(), 'nextedit-page-bench-dist-'));
    await build({ configFile, logLevel: 'error', build: { outDir, emptyOutDir: true } });
    const p = await preview({ configFile, logLevel: 'error', build: { outDir }, preview: { port: 0, strictPort: false } });
    server = { resolvedUrls: p.resolvedUrls, close: () => p.close() };
  }
  const base = server.resolvedUrls!.local[0]!;
  const profile = mkdtempSync(join(tmpdir(), 'nextedit-page-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const load = async (): Promise<LoadFigures> => {
      const sizes: Promise<{ url: string; method: string; bytes: number; status: number }>[] = [];
      const onFinished = (r: import('playwright-core').Request) => {
        sizes.push((async () => {
          const response = await r.response();
          // -1 (or 0) when served from the browser's cache or as a 304.
          return { url: r.url(), method: r.method(), bytes: Math.max(0, (await r.sizes()).responseBodySize), status: response?.status() ?? 0 };
        })());
      };
      context.on('requestfinished', onFinished);
      const t0 = Date.now();
      await page.goto(base);
      await page.locator('#status[data-state=ready][data-backend]:not([data-backend=rules])').waitFor({ timeout: 180_000 });
      const readyMs = Date.now() - t0;
      await page.waitForTimeout(500);
      context.off('requestfinished', onFinished);
      const all = await Promise.all(sizes);
      // Whole downloads (a HEAD, such as the worker's check of ORT's thread script, is none).
      const full = all.filter((r) => r.status === 200 && r.method === 'GET');
      const counts = new Map<string, number>();
      // The page and its worker each import the app's modules in dev: only assets count here.
      const asset = (u: string) => /^\/(models|ort)\//.test(new URL(u).pathname);
      for (const r of full.filter((x) => asset(x.url))) counts.set(r.url, (counts.get(r.url) ?? 0) + 1);
      const sum = (rs: typeof all) => rs.reduce((a, r) => a + r.bytes, 0);
      return {
        ready_ms: readyMs,
        requests: all.length,
        bytes: sum(all),
        model_bytes: sum(all.filter((r) => new URL(r.url).pathname.startsWith('/models/'))),
        ort_bytes: sum(all.filter((r) => new URL(r.url).pathname.startsWith('/ort/'))),
        fetched_twice: [...counts].filter(([, n]) => n > 1).map(([u]) => new URL(u).pathname),
      };
    };
    const mb = (b: number) => (b / 1e6).toFixed(1);
    const cold = await load();
    log(`${kind} cold: ready in ${cold.ready_ms} ms, ${cold.requests} requests, ${mb(cold.bytes)} MB (models ${mb(cold.model_bytes)}, ort ${mb(cold.ort_bytes)}), fetched twice: ${cold.fetched_twice.join(' ') || 'none'}`);
    const warm = await load();
    log(`${kind} warm: ready in ${warm.ready_ms} ms, ${warm.requests} requests, ${mb(warm.bytes)} MB (models ${mb(warm.model_bytes)}, ort ${mb(warm.ort_bytes)}), fetched twice: ${warm.fetched_twice.join(' ') || 'none'}`);
    return { cold, warm };
  } finally {
    await context.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  }
}

const dev = await measure('dev');
const built = values['dev-only'] ? undefined : await measure('build');
console.log(JSON.stringify({ page: 'demo', dev, ...(built ? { build: built } : {}) }));
