// issue 18 item 1: isReversal looks at the part of the text the last edit and the suggestion
// touch, with the same answers as over the whole text, and in milliseconds on 5 MB.
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../edits/index.js';
import { EditHistory } from '../history/edit-history.js';
import { reverseUnifiedDiff } from '../history/diff.js';
import { reversalRatio } from '../metrics/reversal.js';
import type { PredictRequest, TextEdit } from '../types.js';
import { isReversal } from './suggestable.js';

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** isReversal as it was: the last diff reversed over the whole text, character diffs of whole texts. */
function wholeText(request: PredictRequest, edits: TextEdit[]): boolean {
  const lastBefore = reverseUnifiedDiff(request.text, request.events.at(-1)!, request.path);
  return lastBefore !== undefined && reversalRatio(lastBefore, request.text, applyEdits(request.text, edits)) > 0.5;
}

describe('isReversal on a window', () => {
  it('answers as over the whole text (random edits and suggestions)', () => {
    const r = rng(7);
    let agreed = 0;
    let reversals = 0;
    for (let i = 0; i < 600; i++) {
      const before = Array.from({ length: 20 }, (_, k) => `let v${k} = f(${k});\n`).join('');
      const from = Math.floor(r() * before.length);
      const to = Math.min(before.length, from + Math.floor(r() * 6));
      const insert = ['x', 'foo', '', '\n', 'ab'][Math.floor(r() * 5)]!;
      if (from === to && !insert) continue;
      const h = new EditHistory();
      h.record('a.ts', before, [{ from, to, insert }]);
      const text = applyEdits(before, [{ from, to, insert }]);
      const request: PredictRequest = { path: 'a.ts', text, cursor: from, events: [h.pending()!] };
      // Half the suggestions undo the edit (in part), half change something else.
      const edits: TextEdit[] = r() < 0.5
        ? [{ from, to: from + insert.length, insert: before.slice(from, to).slice(0, Math.floor(r() * 6)) }]
        : [(() => { const p = Math.floor(r() * text.length); return { from: p, to: Math.min(text.length, p + Math.floor(r() * 4)), insert: 'zz' }; })()];
      if (edits[0]!.from === edits[0]!.to && !edits[0]!.insert) continue;
      const want = wholeText(request, edits);
      expect(isReversal(request, edits), JSON.stringify({ from, to, insert, edits })).toBe(want);
      agreed++;
      if (want) reversals++;
    }
    expect(agreed).toBeGreaterThan(400);
    expect(reversals).toBeGreaterThan(50);
  });

  // Over the whole text this took seconds; on the touched span it ends well inside the test timeout.
  it('handles a 5 MB document', () => {
    const line = (k: number) => `const v${k} = compute(${k}, "abcdefghij");\n`;
    const before = Array.from({ length: 110_000 }, (_, k) => line(k)).join('');
    const at = before.indexOf('v55000 ') + 1;
    const h = new EditHistory();
    h.record('a.ts', before, [{ from: at, to: at + 5, insert: 'w' }]);
    const text = applyEdits(before, [{ from: at, to: at + 5, insert: 'w' }]);
    const request: PredictRequest = { path: 'a.ts', text, cursor: at + 1, events: [h.pending()!] };
    expect(isReversal(request, [{ from: at, to: at + 1, insert: '55000' }])).toBe(true);
    expect(isReversal(request, [{ from: at + 30, to: at + 30, insert: 'q' }])).toBe(false);
  });
});
