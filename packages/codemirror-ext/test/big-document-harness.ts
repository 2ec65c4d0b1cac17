// Shared by big-document.test.ts (behaviour) and big-document-bench.ts (figures), issue 18 item 1:
// a Vite dev server on test/fixture, Chromium through playwright-core, and one typing scenario.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));

export interface Harness { page: Page; pageErrors: string[]; close(): Promise<void> }

export async function startHarness(): Promise<Harness> {
  const server: ViteDevServer = await createServer({
    root: join(here, 'fixture'), configFile: false, logLevel: 'error',
    resolve: { conditions: ['source'] }, server: { port: 0, hmr: false, ws: false, watch: null },
  });
  await server.listen();
  const address = server.httpServer!.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const profile = mkdtempSync(join(tmpdir(), 'nextedit-big-'));
  let context: BrowserContext | undefined;
  const close = async () => {
    await context?.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium', headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`http://localhost:${port}/big.html`);
    await page.waitForFunction(() => (window as any).big !== undefined, undefined, { timeout: 60_000 });
    return { page, pageErrors, close };
  } catch (e) {
    await close();
    throw e;
  }
}

export type DocKind = 'lines' | 'line' | 'nul';

export interface ScenarioResult {
  bytes: number;
  /** The final document is the original plus exactly the typing and the accepted rename. */
  docCorrect: boolean;
  /** A rule suggestion (the rename's next use) was shown, and Tab applied it. */
  suggested: boolean;
  latencies: number[];
  longestTaskMs: number;
  errors: string[];
}

const COMMENT = '/* typing into a big document here */ ';

/**
 * `kind` 'lines': ~`bytes` of short lines; 'line': one line of ~`bytes`; 'nul': short lines
 * full of NUL and other control bytes. In the middle,
 * `let total = 0; total += 1;`: type a comment before it, then rename the first `total` to `sum`
 * (5 Backspaces, `sum`), wait for the rules' suggestion to rename the next use, accept it with Tab.
 */
export async function runScenario(page: Page, kind: DocKind, bytes: number, delayMs = 40): Promise<ScenarioResult> {
  const middle = kind !== 'line' ? '\nlet total = 0;\ntotal += 1;\n' : 'let total = 0;total += 1;';
  const { at, length } = await page.evaluate(({ kind, bytes, middle }) => {
    const big = (window as any).big;
    const { doc, at } = big.build(kind, bytes, middle);
    big.mount(doc, at);
    return { at, length: doc.length as number };
  }, { kind, bytes, middle });
  await page.waitForTimeout(1500);
  const t0 = await page.evaluate(() => {
    const big = (window as any).big;
    big.latencies.length = 0;
    big.errors.length = 0;
    return performance.now();
  });
  await page.keyboard.type(COMMENT, { delay: delayMs });
  await page.waitForTimeout(1200); // the typing settles into an event of its own
  const decl = at + COMMENT.length + middle.indexOf('total') + 5;
  await page.evaluate((pos) => (window as any).big.view.dispatch({ selection: { anchor: pos } }), decl);
  for (let i = 0; i < 5; i++) await page.keyboard.press('Backspace', { delay: delayMs });
  await page.keyboard.type('sum', { delay: delayMs });
  let suggested = await page
    .waitForFunction(() => (window as any).big.suggestions() > 0, undefined, { timeout: 15_000 })
    .then(() => true, () => false);
  const renamed = middle.replaceAll('total', 'sum');
  const expected = { at, comment: COMMENT, middle, renamed };
  // Compared in the page: 5 MB need not cross CDP.
  const isFinal = () => page.evaluate(({ at, comment, middle, renamed }) => {
    const big = (window as any).big;
    return big.view.state.doc.toString() === big.original.slice(0, at) + comment + renamed + big.original.slice(at + middle.length);
  }, expected);
  if (suggested) {
    for (let i = 0; i < 3 && !(await isFinal()); i++) {
      await page.keyboard.press('Tab');
      await page.waitForTimeout(200);
    }
    suggested = await isFinal();
  }
  const docCorrect = suggested
    ? true
    : await page.evaluate(({ at, comment, middle }) => {
        const big = (window as any).big;
        const o: string = big.original;
        const i = middle.indexOf('total');
        return big.view.state.doc.toString() === o.slice(0, at) + comment + middle.slice(0, i) + 'sum' + middle.slice(i + 5) + o.slice(at + middle.length);
      }, expected);
  await page.waitForTimeout(300);
  const { latencies, longTasks, errors } = await page.evaluate(() => {
    const big = (window as any).big;
    return { latencies: [...big.latencies] as number[], longTasks: [...big.longTasks] as { start: number; duration: number }[], errors: [...big.errors] as string[] };
  });
  const longestTaskMs = Math.max(0, ...longTasks.filter((t) => t.start >= t0).map((t) => t.duration));
  return { bytes: length, docCorrect, suggested, latencies, longestTaskMs, errors };
}

export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
