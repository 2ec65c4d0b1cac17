// Big documents in real Chromium (issue 18 item 1): typing into a 5 MB file, a 1 MB single line
// and a file full of NUL bytes with the RulePredictor keeps the document exact and the
// suggestions working.
// Behaviour only; the timings are big-document-bench.ts's to print (this machine's load varies).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario, startHarness, type DocKind, type Harness } from './big-document-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('big documents in Chromium', () => {
  const cases: [name: string, kind: DocKind, bytes: number, atLeast: number, timeout: number][] = [
    ['a 5 MB document', 'lines', 5_000_000, 4_900_000, 180_000],
    ['a 1 MB single line', 'line', 1_000_000, 990_000, 180_000],
    ['a 67 KB file full of NUL and control bytes', 'nul', 67_000, 66_000, 120_000],
  ];
  for (const [name, kind, bytes, atLeast, timeout] of cases) {
    it(`types into ${name}: the text is exact, the rename is suggested and accepted, no page error`, async () => {
      const r = await runScenario(h.page, kind, bytes);
      expect(r.bytes).toBeGreaterThan(atLeast);
      expect(r.docCorrect).toBe(true);
      expect(r.suggested).toBe(true);
      expect(r.errors).toEqual([]);
      expect(h.pageErrors).toEqual([]);
    }, timeout);
  }

  it('over maxDocLength the extension is off for the document and its status says so; back under, it suggests again', async () => {
    const { page } = h;
    const middle = '\nlet total = 0;\ntotal += 1;\n';
    const at = await page.evaluate((middle) => {
      const big = (window as any).big;
      const { doc, at } = big.build('lines', 2_000_000, middle);
      big.mount(doc, at + middle.indexOf('total') + 5, 1_000_000);
      return at;
    }, middle);
    for (let i = 0; i < 5; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('sum');
    await page.waitForFunction(() => /maxDocLength \(1000000 characters\)/.test((window as any).big.status()?.lastError ?? ''), undefined, { timeout: 10_000 });
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as any).big.suggestions())).toBe(0);
    // Cut down to the middle: under the limit, the status clears and the next rename is suggested.
    await page.evaluate(({ at, middle }) => {
      const v = (window as any).big.view;
      const keep = middle.replace('total', 'sum');
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: keep }, selection: { anchor: keep.indexOf('sum') + 3 } });
      v.dispatch({ changes: { from: keep.indexOf('sum'), to: keep.indexOf('sum') + 3, insert: 'total' }, selection: { anchor: keep.indexOf('sum') + 5 } });
      return at;
    }, { at, middle });
    for (let i = 0; i < 5; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('sum');
    await page.waitForFunction(() => (window as any).big.suggestions() > 0, undefined, { timeout: 10_000 });
    expect(await page.evaluate(() => (window as any).big.status()?.lastError ?? '')).toBe('');
    expect(h.pageErrors).toEqual([]);
  }, 120_000);
});
