// Page-load bench: the demo in headless Chromium, on Vite's dev server and on
// its production build (vite preview), each loaded cold (fresh profile) and then
// warm (same profile, a second visit), until the status says the bundled model
// is ready. Prints per load: time to ready, requests, bytes received (bodies),
// and model/ORT files fetched more than once.
//   npm run bench:page [-- --json] [--dev-only]
import { parseArgs } from 'node:util';
import { createServer } from 'vite';
import { configFile, launchChromium, previewBuild } from './launch.js';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, 'dev-only': { type: 'boolean', default: false } } });
const log = values.json ? (l: string) => console.error(l) : (l: string) => console.log(l);

interface LoadFigures { ready_ms: number; requests: number; bytes: number; model_bytes: number; ort_bytes: number; fetched_twice: string[] }

async function measure(kind: 'dev' | 'build'): Promise<{ cold: LoadFigures; warm: LoadFigures }> {
  let server: { url: string; close(): Promise<void> };
  if (kind === 'dev') {
    const dev = await createServer({ configFile, logLevel: 'error', server: { port: 0, strictPort: false } });
    await dev.listen();
    server = { url: dev.resolvedUrls!.local[0]!, close: () => dev.close() };
  } else {
    server = await previewBuild('page-bench');
  }
  const base = server.url;
  const browser = await launchChromium('page-bench');
  const { context } = browser;
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
    await browser.close();
    await server.close();
  }
}

const dev = await measure('dev');
const built = values['dev-only'] ? undefined : await measure('build');
console.log(JSON.stringify({ page: 'demo', dev, ...(built ? { build: built } : {}) }));
