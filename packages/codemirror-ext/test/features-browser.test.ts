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

describe('Tab beside @codemirror/autocomplete (issue 15 item 8)', () => {
  const doc = 'let x = ';
  const typed = doc + 'fo';
  /** Ghost text and the completion popup, both shown at the cursor. */
  async function bothShown(options: Record<string, unknown> = {}) {
    await setup(doc, doc.length, { [typed]: [{ from: typed.length, to: typed.length, insert: 'o(1);' }] }, { autocomplete: true, ...options });
    await page.keyboard.type('fo');
    await ghost().waitFor();
    await page.locator('.cm-tooltip-autocomplete').waitFor();
  }

  it('leaves Tab and Escape to the open completion popup: Tab picks the completion, not the edit', async () => {
    await bothShown();
    await page.keyboard.press('Tab');
    expect(await docText()).toBe(doc + 'fooBar');
    await bothShown();
    await page.keyboard.press('Escape'); // closes the popup; the suggestion stays
    await page.locator('.cm-tooltip-autocomplete').waitFor({ state: 'detached' });
    expect(await ghost().textContent()).toBe('o(1);');
    await page.keyboard.press('Tab'); // no popup now: Tab accepts the edit
    expect(await docText()).toBe(typed + 'o(1);');
  });

  it("accepts the edit with the config's acceptKey while the popup is open", async () => {
    await bothShown({ config: { acceptKey: 'Alt-Enter' } });
    await page.keyboard.press('Alt+Enter');
    expect(await docText()).toBe(typed + 'o(1);');
  });
});
