// The demo under a strict Content-Security-Policy with a style nonce (issue 18 item 4): its
// production build (what a host serves; the dev server's HMR client opens a WebSocket the
// policy refuses), served by `vite preview`, in real Chromium: no 'unsafe-inline', no 'unsafe-eval'. CodeMirror's <style> (its themes and the
// extension's EditorView.baseTheme, through style-mod) carries the nonce the page names
// (EditorView.cspNonce, read by demo/src/main.ts from <meta property="csp-nonce">), and the
// bundled model runs in its worker on WASM ('wasm-unsafe-eval' only). A violation anywhere —
// page or worker — is caught three ways: securitypolicyviolation events in the page, console
// messages (page and workers), and the policy's report-uri, which the browser posts to (workers'
// violations included). ORT's WebGPU glue (ort-wasm-simd-threaded.asyncify.mjs) contains a
// `new Function` (embind's emval method caller): with no 'unsafe-eval' in the policy and no
// violation reported, it is not reached on webgpu; on wasm the worker loads ORT's WASM-only glue,
// which has none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview, type Plugin, type PreviewServer } from 'vite';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { selectWord, suggestion } from './page-helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const workerReady = existsSync(join(repo, 'packages/worker/src/worker/client.ts'));
const modelReady = existsSync(join(repo, 'models/nextedit-student/config.json'));

const NONCE = 'XYZ';
/** The policy the issue names, plus where to report violations. */
const POLICY =
  `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; style-src 'self' 'nonce-${NONCE}'; ` +
  'report-uri /__csp-report';

const reports: string[] = [];

/** Every response carries the policy (the worker's script too: a worker's CSP is its own response's). */
function strictCsp(): Plugin {
  return {
    name: 'strict-csp',
    configurePreviewServer(s) {
      s.middlewares.use((req, res, next) => {
        if (req.url?.startsWith('/__csp-report')) {
          let body = '';
          req.on('data', (c) => (body += c));
          req.on('end', () => {
            reports.push(body);
            res.statusCode = 204;
            res.end();
          });
          return;
        }
        res.setHeader('Content-Security-Policy', POLICY);
        next();
      });
    },
  };
}

let server: PreviewServer;
let context: BrowserContext;
let profile: string;
let outDir: string;
let base: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'nextedit-csp-build-'));
  const configFile = join(repo, 'vite.config.ts');
  // Vite writes <meta property="csp-nonce" nonce="XYZ"> into the page and the nonce on its own tags.
  const html = { cspNonce: NONCE };
  await build({ configFile, logLevel: 'error', html, build: { outDir, emptyOutDir: true } });
  server = await preview({ configFile, logLevel: 'error', html, build: { outDir }, preview: { port: 0, strictPort: false }, plugins: [strictCsp()] });
  base = server.resolvedUrls!.local[0]!.replace(/\/$/, '');
  profile = mkdtempSync(join(tmpdir(), 'nextedit-csp-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 300_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

interface Watched { page: Page; console: string[]; errors: string[] }

async function open(url: string): Promise<Watched> {
  const page = await context.newPage();
  const w: Watched = { page, console: [], errors: [] };
  await page.addInitScript(() => {
    (window as any).__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as any).__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));
  });
  const csp = (text: string) => /Content Security Policy|Refused to/i.test(text);
  page.on('console', (m) => { if (csp(m.text())) w.console.push(m.text()); });
  page.on('worker', (wk) => wk.on('console', (m) => { if (csp(m.text())) w.console.push(`worker: ${m.text()}`); }));
  page.on('pageerror', (e) => w.errors.push(e.message));
  const response = await page.goto(url);
  expect(response?.headers()['content-security-policy']).toBe(POLICY);
  return w;
}

/** Every way a violation shows, after the browser has had a moment to post its reports. */
async function violations(w: Watched): Promise<string[]> {
  await w.page.waitForTimeout(1000);
  const events: string[] = await w.page.evaluate(() => (window as any).__csp);
  return [...events, ...w.console, ...reports.map((r) => `report: ${r}`)];
}

/** CodeMirror's base theme and the extension's are in force, from a <style> with the nonce. */
async function themed(page: Page) {
  return page.evaluate((nonce) => ({
    nonced: [...document.querySelectorAll('style')].some((s) => s.nonce === nonce && s.textContent!.includes('.cm-nexteditBusy')),
    editorDisplay: getComputedStyle(document.querySelector('.cm-editor')!).display,
    busyPosition: getComputedStyle(document.querySelector('.cm-nexteditBusy') ?? document.body).position,
  }), NONCE);
}

async function renameAt(page: Page, word: string, context: string, to: string) {
  await selectWord(page, word, context);
  await page.keyboard.type(to, { delay: 30 });
}

describe('demo under a strict CSP with a style nonce', () => {
  it('rules: the editor is themed, the rename is suggested, no violation', async () => {
    reports.length = 0;
    const w = await open(`${base}/?predictor=rules`);
    await w.page.locator('#status[data-state=ready]').waitFor({ timeout: 60_000 });
    expect(await themed(w.page)).toEqual({ nonced: true, editorDisplay: 'flex', busyPosition: 'absolute' });
    await renameAt(w.page, 'quantity', 'quantity: number', 'qty');
    await suggestion(w.page).waitFor({ timeout: 30_000 });
    expect(await violations(w)).toEqual([]);
    expect(w.errors).toEqual([]);
    // The watch works: a <style> without the nonce is refused and seen.
    await w.page.evaluate(() => document.head.append(Object.assign(document.createElement('style'), { textContent: 'b{}' })));
    await expect.poll(() => violations(w), { timeout: 10_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/^style-src-elem blocked inline/)]));
    await expect.poll(() => reports.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await w.page.close();
  }, 120_000);

  for (const device of ['wasm', 'webgpu'] as const) {
    it.skipIf(!workerReady || !modelReady)(`the bundled model on ${device}: loads, suggests, no violation (no unsafe-eval needed)`, async () => {
      reports.length = 0;
      const w = await open(`${base}/?device=${device}&minConfidence=0`);
      const scripts: string[] = [];
      w.page.on('request', (r) => { if (/ort-wasm[^/]*\.mjs/.test(r.url())) scripts.push(r.url().replace(/^.*\//, '')); });
      const status = w.page.locator('#status[data-state=ready], #status[data-state=error], #status[data-state=fallback]');
      await status.waitFor({ timeout: 240_000 });
      expect(await status.getAttribute('data-state'), (await status.textContent()) ?? '').toBe('ready');
      expect(await w.page.locator('#status').getAttribute('data-backend')).toBe(device);
      expect((await themed(w.page)).nonced).toBe(true);
      await w.page.click('#tabs button[data-path="app/models.py"]');
      await renameAt(w.page, 'price', 'price: float', 'unit_price');
      await w.page.waitForFunction(() => (window as any).nextedit.predictor.last !== undefined, undefined, { timeout: 200_000 });
      await suggestion(w.page).waitFor({ timeout: 30_000 });
      expect(await w.page.evaluate(() => (window as any).nextedit.modelStats().completed)).toBeGreaterThan(0);
      console.log(`csp/${device}: ORT glue loaded: ${scripts.join(', ') || '(none seen from the page)'}`);
      expect(await violations(w)).toEqual([]);
      // Only a refused eval or load is this test's; other page errors are reported, not judged here.
      if (w.errors.length) console.log(`csp/${device}: page errors (not CSP): ${w.errors.join(' | ')}`);
      expect(w.errors.filter((e) => /EvalError|unsafe-eval|Content Security Policy|Refused/i.test(e))).toEqual([]);
      await w.page.close();
    }, 400_000);
  }
});
