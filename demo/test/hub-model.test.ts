// The demo's model panel loading a model by hub id: tiny_hf.py's random Qwen2,
// converted by convert_hf.py (q4, sweep@1), served by the local hub-layout
// server; the page's requests to huggingface.co are answered from it, so the
// panel loads the id as a user's would, minus the network. Saves
// docs/byom-hub-model.png (progress, ready, a suggestion).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHub, type HubServer } from '../../packages/worker/src/tools/hub-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const python = '/usr/bin/python3';
const hasPython = existsSync(python) && spawnSync(python, ['-c', 'import torch, onnx, numpy']).status === 0;
const hasChromium = existsSync('/usr/bin/chromium');
const ID = 'sweep-test/tiny-qwen2';
const SNIPPET = 'interface Item {\n  price: number;\n  quantity: number;\n}\n\nexport function total(items: Item[]): number {\n  return items.reduce((sum, i) => sum + i.price * i.quantity, 0);\n}\n';

function run(args: string[]): void {
  const r = spawnSync(python, args, { cwd: repo, encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stderr}`);
}

const tmp = mkdtempSync(join(tmpdir(), 'nextedit-demo-hub-'));
let hub: HubServer;
let server: ViteDevServer;
let context: BrowserContext;

describe.skipIf(!hasPython || !hasChromium)('demo: a model loaded by hub id', () => {
  beforeAll(async () => {
    const out = join(tmp, 'sweep-tiny');
    run(['models/train/tiny_hf.py', '--out', join(tmp, 'src'), '--norm-scale', '0.05']);
    run(['models/train/convert_hf.py', '--checkpoint', join(tmp, 'src'), '--out', out, '--format', 'sweep@1', '--dtypes', 'q4', '--min-confidence', '0.5', '--no-check']);
    // Random weights never write a whole answer. An unsure model (final norm scaled
    // down: no token above a few percent) with a confidence floor gives up its own
    // guess at the first token, and with the candidate floors at 0 its pick among
    // the edit candidates it scores (the user's rename repeated) is shown.
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    config.nextedit = { ...config.nextedit, verify_candidates: true, min_verified: 0, min_location: 0 };
    writeFileSync(join(out, 'config.json'), JSON.stringify(config, null, 2));
    hub = await serveHub({ [ID]: out });
    server = await createServer({ configFile: join(repo, 'vite.config.ts'), logLevel: 'error', // Others edit the repo meanwhile: no watcher, no HMR reloads mid-test.
      server: { port: 0, strictPort: false, hmr: false, watch: null } });
    await server.listen();
    context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
      executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1280, height: 800 },
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    await context.route('https://huggingface.co/**', async (route) => {
      const r = await fetch(hub.url + new URL(route.request().url()).pathname.slice(1), { method: route.request().method() });
      await route.fulfill({ status: r.status, headers: Object.fromEntries(r.headers), body: Buffer.from(await r.arrayBuffer()) });
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    await hub?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('loads the id from the model panel with progress, then suggests the repeated rename', async () => {
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`${server.resolvedUrls!.local[0]}?predictor=rules`);
    await page.locator('#status[data-state=ready]').waitFor({ timeout: 60_000 });
    await page.check('input[value=url]');
    await page.fill('#model-url', ID);
    await page.selectOption('#dtype', 'q4');
    await page.selectOption('#device', 'wasm');
    // The per-file line is cleared once ready: record what it said while loading.
    await page.evaluate(() => {
      const el = document.querySelector('#progress-file')!;
      const seen: string[] = ((window as any).progressTexts = []);
      new MutationObserver(() => { if (el.textContent) seen.push(el.textContent); }).observe(el, { childList: true, characterData: true, subtree: true });
    });
    const t0 = Date.now();
    await page.click('#load');
    const status = page.locator('#status[data-state=ready], #status[data-state=error], #status[data-state=fallback]');
    await page.locator('#status[data-state=loading]').waitFor({ timeout: 10_000 }).catch(() => undefined);
    await status.waitFor({ timeout: 120_000 });
    expect(await status.getAttribute('data-state'), (await status.textContent()) ?? '').toBe('ready');
    console.log(`demo: ${ID} loaded by hub id in ${Date.now() - t0} ms`);
    expect(await page.locator('#status').textContent()).toContain(`ready — ${ID} on wasm`);
    expect(await page.locator('#progress').evaluate((e) => (e as HTMLProgressElement).value)).toBe(1);
    const progressTexts: string[] = await page.evaluate(() => (window as any).progressTexts);
    expect(progressTexts.some((t) => /^onnx\/model_q4\.onnx: \d+\.\d \/ \d+\.\d MB$/.test(t)), progressTexts.join('\n')).toBe(true);
    expect(await page.locator('#progress-file').textContent()).toBe('');
    expect(hub.seen).toContain(`/${ID}/resolve/main/onnx/model_q4.onnx`);
    // A short file (random weights decode to the length cap: a long window would take
    // many passes on WASM), then rename `quantity` in the interface: the model scores
    // the other use as a candidate.
    await page.evaluate((text) => {
      const v = (window as any).nextedit.view();
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text } });
    }, SNIPPET);
    // Past the history's coalescing time, so the rename is an edit event of its own.
    await page.waitForTimeout(1500);
    await page.evaluate((text) => {
      const v = (window as any).nextedit.view();
      const at = text.indexOf('quantity: number');
      v.dispatch({ selection: { anchor: at, head: at + 'quantity'.length } });
      v.focus();
    }, SNIPPET);
    await page.keyboard.type('qty', { delay: 30 });
    await page.waitForFunction(() => (window as any).nextedit.predictor.last?.stats?.madeBy === 'model-verified', undefined, { timeout: 60_000 }).catch(async (e) => {
      const state = await page.evaluate(() => ({ last: (window as any).nextedit.predictor.last, model: (window as any).nextedit.modelStats(), status: document.querySelector('#status')!.textContent }));
      throw new Error(`no suggestion by the model: ${JSON.stringify(state)}`, { cause: e });
    });
    await page.locator('[class*="cm-nextedit-"]').filter({ visible: true }).first().waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('[data-stat=by]').textContent()).toBe('model (wasm)');
    const last = await page.evaluate(() => (window as any).nextedit.predictor.last);
    expect(last.debug.prompt).toContain('<|file_sep|>updated/');
    const after = await page.evaluate((edits: { from: number; to: number; insert: string }[]) => {
      let text: string = (window as any).nextedit.view().state.doc.toString();
      for (const e of [...edits].sort((a, b) => b.from - a.from)) text = text.slice(0, e.from) + e.insert + text.slice(e.to);
      return text;
    }, last.edits);
    expect(after).toBe(SNIPPET.replaceAll('quantity', 'qty'));
    const ms = await page.evaluate(() => (window as any).nextedit.modelStats().lastLatencyMs);
    console.log(`demo: the model's suggestion took ${Math.round(ms)} ms on wasm`);
    await page.screenshot({ path: join(repo, 'docs/byom-hub-model.png') });
    await page.close();
  }, 240_000);
});
