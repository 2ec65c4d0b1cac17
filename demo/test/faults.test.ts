// The faults set: broken models loaded by URL through the demo's model panel.
// Each is served by a local server (another origin than the page) in the
// Hugging Face folder layout; for each the page must say what is wrong, and
// the editor must keep working on the rule baseline: the repeated rename is
// still suggested and accepted, and the document holds only what was typed.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doc, selectWord, suggestion } from './page-helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const hasChromium = existsSync('/usr/bin/chromium');
const tiny = join(repo, 'models/tiny-random');
const hasModel = existsSync(join(tiny, 'onnx/model_quantized.onnx'));
// The panel's dtype q8 loads onnx/model_quantized.onnx.
const ONNX = 'onnx/model_quantized.onnx';
const META = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json'];

/** Deterministic "random" bytes (xorshift32), so a failure reproduces. */
function noise(n: number, seed = 0x2545f491): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

interface Fault {
  name: string;
  /** The folder's files (absent: 404). */
  files: Record<string, Buffer>;
  /** Send CORS and CORP headers (a cross-origin isolated page needs both). */
  cors: boolean;
  /** What #model-error and #status must say. */
  says: RegExp;
  /** A file the load must have asked for, */
  reached: string;
  /** and one it must not have got to. */
  stopsBefore?: string;
}

function faults(): Fault[] {
  const good = Object.fromEntries(META.map((f) => [f, readFileSync(join(tiny, f))]));
  const onnx = readFileSync(join(tiny, ONNX));
  return [
    { name: 'truncated-onnx', files: { ...good, [ONNX]: onnx.subarray(0, onnx.length >> 1) }, cors: true, reached: ONNX,
      says: /cannot load model \S+\/truncated-onnx \(onnx\/model_quantized\.onnx, wasm\): not a whole ONNX file \(truncated or corrupt\?\): .*protobuf parsing failed/ },
    { name: 'corrupt-onnx', files: { ...good, [ONNX]: noise(64 * 1024) }, cors: true, reached: ONNX,
      says: /cannot load model \S+\/corrupt-onnx \(onnx\/model_quantized\.onnx, wasm\): not a whole ONNX file \(truncated or corrupt\?\)/ },
    { name: 'bad-config', files: { ...good, 'config.json': Buffer.from('{"model_type": "llama", ') }, cors: true, reached: 'config.json', stopsBefore: ONNX,
      says: /\/bad-config\/config\.json is not valid JSON \(corrupt file\?\)/ },
    { name: 'no-cors', files: { ...good, [ONNX]: onnx }, cors: false, reached: 'config.json', stopsBefore: ONNX,
      says: /cannot fetch \S+\/no-cors\/config\.json: Failed to fetch \(.*Access-Control-Allow-Origin.*CORS\)/ },
    { name: 'missing-onnx', files: good, cors: true, reached: ONNX,
      says: /cannot load model \S+\/missing-onnx \(onnx\/model_quantized\.onnx, wasm\): Could not locate file: "\S+\/missing-onnx\/onnx\/model_quantized\.onnx"/ },
  ];
}

/** The model folders at /<fault>/<file>, with the headers each fault's server sends; `seen` logs "METHOD fault/file". */
async function serveFaults(list: Fault[]): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const byName = new Map(list.map((f) => [f.name, f]));
  const server = createHttpServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '').split('?')[0]!);
    const [, name = '', ...rest] = path.split('/');
    const fault = byName.get(name);
    const file = rest.join('/');
    seen.push(`${req.method} ${name}/${file}`);
    const headers: Record<string, string> = fault?.cors === false ? {} : {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': '*',
      'cross-origin-resource-policy': 'cross-origin',
    };
    if (req.method === 'OPTIONS') return void res.writeHead(204, headers).end();
    const body = fault?.files[file];
    if (!body) return void res.writeHead(404, headers).end('not found');
    // Range is ignored (the whole file, as RFC 9110 allows): transformers.js cancels its probe's body.
    res.writeHead(200, { ...headers, 'content-length': body.length, 'content-type': file.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen, server };
}

const tmp = mkdtempSync(join(tmpdir(), 'nextedit-demo-faults-'));
let server: ViteDevServer;
let context: BrowserContext;
let models: Awaited<ReturnType<typeof serveFaults>>;
let base: string;
const list = hasModel ? faults() : [];

describe.skipIf(!hasChromium || !hasModel)('demo: broken models from the model panel', () => {
  const t0 = Date.now();
  beforeAll(async () => {
    models = await serveFaults(list);
    server = await createServer({ configFile: join(repo, 'vite.config.ts'), logLevel: 'error', // Others edit the repo meanwhile: no watcher, no HMR reloads mid-test.
      server: { port: 0, strictPort: false, hmr: false, watch: null } });
    await server.listen();
    base = server.resolvedUrls!.local[0]!.replace(/\/$/, '');
    context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
      executablePath: '/usr/bin/chromium', headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    await new Promise((r) => models?.server.close(r));
    rmSync(tmp, { recursive: true, force: true });
    console.log(`faults: ${list.length} faults in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });

  for (const fault of list) {
    it(`${fault.name}: the page says what is wrong and the rule baseline keeps suggesting`, async () => {
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error('page error:', e.message));
      await page.goto(`${base}/?predictor=rules`);
      await page.locator('#status[data-state=ready]').waitFor({ timeout: 60_000 });
      const before = await doc(page);
      const url = `${models.url}/${fault.name}`;
      await page.check('input[value=url]');
      await page.fill('#model-url', url);
      await page.selectOption('#dtype', 'q8');
      await page.selectOption('#device', 'wasm');
      await page.click('#load');
      await page.locator('#status:not([data-state=loading])').waitFor({ timeout: 60_000 });
      const status = (await page.locator('#status').textContent()) ?? '';
      const error = (await page.locator('#model-error').textContent()) ?? '';
      console.log(`${fault.name}:\n  #model-error: ${error}\n  #status: ${status}`);
      expect(await page.locator('#status').getAttribute('data-state'), status).toBe('fallback');
      expect(await page.locator('#model-error').isVisible()).toBe(true);
      expect(error).toContain(`Could not load ${url}: `);
      expect(error).toContain('Still using the rule-based baseline.');
      expect(status).toMatch(/^error: .* — the rule-based baseline still active$/);
      expect(error).toMatch(fault.says);
      expect(status).toMatch(fault.says);
      expect(models.seen).toContain(`GET ${fault.name}/${fault.reached}`);
      if (fault.stopsBefore) expect(models.seen.filter((r) => r.endsWith(`${fault.name}/${fault.stopsBefore}`))).toEqual([]);
      // Nothing in the document changed by the failed load.
      expect(await doc(page)).toBe(before);
      // The rule baseline: rename the field, the next use follows; Tab jumps, Tab accepts.
      await selectWord(page, 'quantity', 'quantity: number');
      await page.keyboard.type('qty', { delay: 30 });
      await suggestion(page).waitFor({ timeout: 30_000 });
      await expect.poll(() => page.locator('[data-stat=by]').textContent()).toBe('rule baseline');
      const typed = before.replace('quantity: number', 'qty: number');
      expect(await doc(page)).toBe(typed);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await doc(page)).toBe(typed.replace('existing.quantity +=', 'existing.qty +='));
      await expect.poll(() => page.locator('[data-stat=accepted]').textContent()).toBe('1');
      await page.close();
    }, 90_000);
  }
});
