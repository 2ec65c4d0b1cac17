// Soak: the demo (bundled model in its worker, verified rules beside it) in
// headless Chromium, typed into for --minutes (default 10): lines typed a key at
// a time, Tab on every suggestion shown, the typed lines removed again, renames
// whose next uses are taken with Tab, tab switches. Each minute, after a forced GC: the page's JS heap,
// DOM nodes, event listeners and documents (CDP), the document length, and the
// suggestions shown / accepted so far. A leak shows as a heap or node count that
// grows minute after minute while the document does not.
//   npm run bench:soak [-- --minutes 10] [--json]
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { createServer } from 'vite';
import { configFile, launchChromium } from './launch.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, json: { type: 'boolean', default: false } } });
const minutes = Number(values.minutes);
if (!(minutes > 0)) throw new Error(`--minutes must be a positive number, not "${values.minutes}"`);
const log = values.json ? (l: string) => console.error(l) : (l: string) => console.log(l);

interface Sample { minute: number; heap_mb: number; nodes: number; listeners: number; documents: number; doc_chars: number; shown: number; accepted: number; page_errors: number }

const server = await createServer({ configFile, logLevel: 'error', server: { port: 0, strictPort: false } });
await server.listen();
const browser = await launchChromium('soak');
const { context } = browser;
let pageErrors = 0;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => { pageErrors++; log(`page error: ${e.message}`); });
  await page.goto(server.resolvedUrls!.local[0]!);
  await page.locator('#status[data-state=ready][data-backend]:not([data-backend=rules])').waitFor({ timeout: 180_000 });
  const cdp = await context.newCDPSession(page);
  const sample = async (minute: number): Promise<Sample> => {
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const counters = await cdp.send('Memory.getDOMCounters');
    const s = await page.evaluate(() => {
      const ne = (window as any).nextedit;
      const st = ne.stats.decisions() as { shown: number; accepted: number };
      return { doc_chars: ne.view().state.doc.length as number, shown: st.shown, accepted: st.accepted };
    });
    const row = { minute, heap_mb: Math.round(heap.usedSize / 1e5) / 10, nodes: counters.nodes, listeners: counters.jsEventListeners, documents: counters.documents, ...s, page_errors: pageErrors };
    log(`minute ${minute}: heap ${row.heap_mb} MB, ${row.nodes} DOM nodes, ${row.listeners} listeners, doc ${row.doc_chars} chars, shown ${row.shown}, accepted ${row.accepted}, page errors ${pageErrors}`);
    return row;
  };
  const samples = [await sample(0)];
  const end = Date.now() + minutes * 60_000;
  let nextSample = Date.now() + 60_000;
  let round = 0;
  while (Date.now() < end) {
    await typeRound(page, round++);
    if (Date.now() >= nextSample) {
      samples.push(await sample(samples.length));
      nextSample += 60_000;
    }
  }
  if (samples.at(-1)!.minute < minutes) samples.push(await sample(Math.round(minutes * 10) / 10));
  const first = samples[0]!;
  const last = samples.at(-1)!;
  console.log(JSON.stringify({ minutes, rounds: round, start: first, end: last, samples }));
} finally {
  await browser.close();
  await server.close();
}

/**
 * One round of a cycle of six: four rounds type a line each at the end (a key at a time, Tab
 * on what is shown), the fifth removes them (select-and-delete), the sixth renames `quantity`
 * to `qty` or back at its declaration and takes the suggested next uses with Tab; every third
 * cycle also switches to another tab and back.
 */
async function typeRound(page: Page, round: number): Promise<void> {
  const lines = ['const total = cart.total();', 'cart.add(apple, 2);', 'if (total > 10) discount(cart);', 'export const n = items.length;'];
  const step = round % 6;
  const shown = () => page.locator('[class*="cm-nextedit-"]').filter({ visible: true }).count();
  if (step < 4) {
    await page.evaluate((first) => {
      const v = (window as any).nextedit.view();
      if (first) (window as any).soakFrom = v.state.doc.length;
      v.dispatch({ selection: { anchor: v.state.doc.length } });
      v.focus();
    }, step === 0);
    await page.keyboard.press('Enter');
    for (const ch of lines[(round / 6 + step) % lines.length | 0]!) await page.keyboard.type(ch, { delay: 40 });
    await page.waitForTimeout(300);
    if (await shown()) await page.keyboard.press('Tab');
  } else if (step === 4) {
    await page.evaluate(() => {
      const v = (window as any).nextedit.view();
      const from = Math.min((window as any).soakFrom ?? v.state.doc.length, v.state.doc.length);
      v.dispatch({ changes: { from, to: v.state.doc.length, insert: '' }, userEvent: 'delete.selection' });
    });
  } else {
    const [from, to] = (round / 6) % 2 < 1 ? ['quantity', 'qty'] : ['qty', 'quantity'];
    const found = await page.evaluate((word) => {
      const v = (window as any).nextedit.view();
      const at = v.state.doc.toString().indexOf(`  ${word}: number;`);
      if (at < 0) return false;
      v.dispatch({ selection: { anchor: at + 2, head: at + 2 + word.length } });
      v.focus();
      return true;
    }, from);
    if (found) {
      for (const ch of to) await page.keyboard.type(ch, { delay: 40 });
      for (let i = 0; i < 6; i++) {
        await page.waitForTimeout(400);
        if (!(await shown())) break;
        await page.keyboard.press('Tab');
      }
    }
    const tabs = page.locator('#tabs [role=tab]');
    // A cross-file jump may have switched tabs: back to the first, and every third cycle via another.
    if ((round / 6) % 3 >= 2) await tabs.nth(1).click();
    await tabs.nth(0).click();
  }
}
