// Real Chromium on test/fixture/features.html: partial accept by line, Tab beside autocomplete,
// subtle mode and disableWhen, and the rejection memory (issue 15 items 7-10).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openFixture } from './chromium-page.js';

interface Edit { from: number; to: number; insert: string }
let page: Page;
let close: () => Promise<void>;

beforeAll(async () => ({ page, close } = await openFixture('features.html', 'features')));
afterAll(async () => close?.());

async function setup(doc: string, cursor: number, script: Record<string, Edit[]>, options: Record<string, unknown> = {}) {
  await page.evaluate(({ doc, cursor, script, options }) => {
    const f = (window as any).features;
    f.predictor.script = script;
    f.mount(doc, cursor, options);
  }, { doc, cursor, script, options });
}
const docText = () => page.evaluate(() => (window as any).features.view.state.doc.toString() as string);
const head = () => page.evaluate(() => (window as any).features.view.state.selection.main.head as number);
const request = () => page.evaluate(() => (window as any).features.request());
const ghost = () => page.locator('.cm-nextedit-ghost');

describe('partial accept by line (issue 15 item 7)', () => {
  it('Mod-Alt-ArrowRight accepts ghost text through its next line break; the rest stays shown, the last press accepts all', async () => {
    const doc = 'function f() {\n  ';
    const insert = 'const a = 1;\n  return a;\n}';
    await setup(doc, doc.length, { [doc]: [{ from: doc.length, to: doc.length, insert }] });
    await request();
    await ghost().waitFor();
    await page.keyboard.press('Control+Alt+ArrowRight');
    expect(await docText()).toBe(doc + 'const a = 1;\n');
    expect(await head()).toBe((doc + 'const a = 1;\n').length);
    expect(await ghost().textContent()).toBe('  return a;\n}');
    await page.waitForTimeout(80); // the follow-up request (no scripted answer) must not remove it
    await page.keyboard.press('Control+Alt+ArrowRight');
    expect(await docText()).toBe(doc + 'const a = 1;\n  return a;\n');
    await page.keyboard.press('Control+Alt+ArrowRight'); // the last line has no break: all of it, accepted
    expect(await docText()).toBe(doc + insert);
    expect(await ghost().count()).toBe(0);
  });
});
