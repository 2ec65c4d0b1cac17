// What the demo's Chromium tests ask of the page: its document, the suggestion
// shown, and a selection to type a rename over.
import type { Page } from 'playwright-core';

/** The current tab's text. */
export const doc = (page: Page) => page.evaluate(() => (window as any).nextedit.view().state.doc.toString() as string);

/** Any visible suggestion decoration (ghost text, inline diff, jump hint). */
export const suggestion = (page: Page) => page.locator('[class*="cm-nextedit-"]').filter({ visible: true }).first();

/** Select the first `word` of `context` in the current tab, ready to type its new name. */
export async function selectWord(page: Page, word: string, context: string): Promise<void> {
  await page.evaluate(([word, context]) => {
    const v = (window as any).nextedit.view();
    const at = v.state.doc.toString().indexOf(context) + context.indexOf(word);
    v.dispatch({ selection: { anchor: at, head: at + word.length } });
    v.focus();
  }, [word, context]);
}
