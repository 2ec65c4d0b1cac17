// Typing bench: the demo's production build (bundled model in its worker, verified
// rules beside it) in headless Chromium, a 2,000-line TypeScript file in the editor,
// lines typed into its middle a key at a time. The page records main-thread long tasks
// (PerformanceObserver) and keystroke-to-screen latency; the same typing runs with the
// extension on and off (the demo's "enabled" box), so what the extension causes is the
// difference. Prints one line per run and one JSON.
//   npm run bench:typing [-- --keys 240] [--json]
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { percentile } from '@nextedit/core';
import { launchChromium, previewBuild } from './launch.js';

const { values } = parseArgs({ options: { keys: { type: 'string', default: '240' }, json: { type: 'boolean', default: false } } });
const keys = Number(values.keys);
if (!(keys > 0)) throw new Error(`--keys must be a positive number, not "${values.keys}"`);
const log = values.json ? (l: string) => console.error(l) : (l: string) => console.log(l);

const LINES = 2000;
/** A 2,000-line file: the same small functions over and over, each with its own names. */
function bigFile(): string {
  const out: string[] = [];
  for (let i = 0; out.length < LINES; i++) {
    out.push(
      `export function total${i}(items: Item${i}[]): number {`,
      `  let sum${i} = 0;`,
      `  for (const item of items) sum${i} += item.price * item.quantity;`,
      `  return sum${i};`,
      `}`,
      ``,
    );
  }
  return out.slice(0, LINES).join('\n') + '\n';
}

/** What is typed: code lines, a key at a time. */
const TYPED = [
  'const discount = computeDiscount(order, customer);\n',
  'if (discount > 0) order.total -= discount;\n',
  'logger.info(`discount ${discount} for ${customer.id}`);\n',
  'return order;\n',
].join('');

interface Run { extension: boolean; keys: number; p50_ms: number; p95_ms: number; max_ms: number; long_tasks_over_50ms: number; longest_task_ms: number; shown: number }

async function typeRun(page: Page, extension: boolean): Promise<Run> {
  await page.evaluate(({ doc, extension }) => {
    const box = document.querySelector<HTMLInputElement>('#enabled')!;
    if (box.checked !== extension) box.click();
    const view = (window as any).nextedit.view();
    const middle = doc.indexOf('\n', Math.floor(doc.length / 2)) + 1;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: doc }, selection: { anchor: middle }, scrollIntoView: true });
    view.focus();
  }, { doc: bigFile(), extension });
  await page.waitForTimeout(1500);
  const before = await page.evaluate(() => {
    const w = window as any;
    w.__latencies.length = 0;
    return { t0: performance.now(), shown: w.nextedit.stats.decisions().shown as number };
  });
  const text = TYPED.repeat(Math.ceil(keys / TYPED.length)).slice(0, keys);
  for (const ch of text) {
    await (ch === '\n' ? page.keyboard.press('Enter') : page.keyboard.type(ch));
    await page.waitForTimeout(45); // ~200 keys a minute: a fast typist
  }
  await page.waitForTimeout(1000);
  const r = await page.evaluate((t0) => {
    const w = window as any;
    const tasks = (w.__longTasks as { start: number; duration: number }[]).filter((t) => t.start >= t0);
    return { latencies: [...w.__latencies] as number[], tasks: tasks.map((t) => t.duration), shown: w.nextedit.stats.decisions().shown as number };
  }, before.t0);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    extension, keys: r.latencies.length,
    p50_ms: round(percentile(r.latencies, 50)), p95_ms: round(percentile(r.latencies, 95)), max_ms: round(Math.max(0, ...r.latencies)),
    long_tasks_over_50ms: r.tasks.length, longest_task_ms: round(Math.max(0, ...r.tasks)), shown: r.shown - before.shown,
  };
}

const server = await previewBuild('typing');
const browser = await launchChromium('typing');
const { context } = browser;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.addInitScript(() => {
    const w = window as any;
    w.__longTasks = [];
    w.__latencies = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    // Keystroke to screen: from the key event's (queued) time to just after the next frame.
    addEventListener('keydown', (e) => {
      const t = e.timeStamp;
      requestAnimationFrame(() => setTimeout(() => w.__latencies.push(performance.now() - t), 0));
    }, true);
  });
  await page.goto(server.url);
  await page.locator('#status[data-state=ready][data-backend]:not([data-backend=rules])').waitFor({ timeout: 180_000 });
  const backend = await page.locator('#status').textContent();
  log(`demo: ${backend}`);
  const runs: Run[] = [];
  for (const extension of [true, false]) {
    const r = await typeRun(page, extension);
    runs.push(r);
    log(`extension ${extension ? 'on ' : 'off'}: ${r.keys} keys in a ${LINES}-line file, keystroke-to-screen p50 ${r.p50_ms} ms, p95 ${r.p95_ms}, max ${r.max_ms}; ` +
      `long tasks > 50 ms: ${r.long_tasks_over_50ms} (longest ${r.longest_task_ms} ms); suggestions shown ${r.shown}`);
  }
  console.log(JSON.stringify({ typing: { lines: LINES, runs } }));
} finally {
  await browser.close();
  await server.close();
}
