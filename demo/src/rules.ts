import type { EditPrediction, PredictRequest, Predictor, TextEdit } from '@nextedit/core';

/**
 * Stand-in until core's RulePredictor lands: if the user just replaced a word
 * (`before` -> `after`, read from the editor), propose the same substitution
 * at the next whole-word occurrence after the cursor, wrapping around.
 */
export class DemoRulePredictor implements Predictor {
  private last?: { path: string; before: string; after: string };
  /** Text before the current burst of typing (reset after a second idle). */
  private base?: { path: string; text: string; at: number };

  /** The host reports each document change so the last substitution is known. */
  observe(path: string, oldText: string, newText: string, now = performance.now()): void {
    if (!this.base || this.base.path !== path || now - this.base.at > 1000) this.base = { path, text: oldText, at: now };
    this.base.at = now;
    const w = wordChange(this.base.text, newText);
    if (w) this.last = { path, ...w };
  }

  async predict(request: PredictRequest): Promise<EditPrediction | null> {
    const t0 = performance.now();
    const last = this.last;
    if (!last || last.path !== request.path || !last.before) return null;
    const text = request.text;
    const re = new RegExp(`\\b${last.before.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'g');
    const hits = [...text.matchAll(re)].map((m) => m.index);
    if (!hits.length) return null;
    const from = hits.find((i) => i >= request.cursor) ?? hits[0]!;
    const edits: TextEdit[] = [{ from, to: from + last.before.length, insert: last.after }];
    const line = (o: number) => text.slice(0, o).split('\n').length;
    const far = Math.abs(line(from) - line(request.cursor)) > 2;
    return {
      edits,
      ...(far ? { jump: { pos: from } } : {}),
      stats: { latencyMs: performance.now() - t0, promptTokens: 0, cachedTokens: 0, forwardPasses: 0, generatedTokens: 0, draftProposed: 0, draftAccepted: 0, backend: 'rules' },
    };
  }
}

const isWord = (c: string | undefined) => c !== undefined && /\w/.test(c);

/** The whole word that changed between two texts, if the change is inside one word. */
export function wordChange(oldText: string, newText: string): { before: string; after: string } | undefined {
  let p = 0;
  while (p < oldText.length && p < newText.length && oldText[p] === newText[p]) p++;
  let s = 0;
  while (s < oldText.length - p && s < newText.length - p && oldText[oldText.length - 1 - s] === newText[newText.length - 1 - s]) s++;
  // Widen to word boundaries in both texts (the unchanged context is shared).
  while (p > 0 && isWord(oldText[p - 1])) p--;
  while (s > 0 && isWord(oldText[oldText.length - s])) s--;
  const before = oldText.slice(p, oldText.length - s);
  const after = newText.slice(p, newText.length - s);
  if (!/^\w*$/.test(before) || !/^\w+$/.test(after) || before === after) return undefined;
  return { before, after };
}
