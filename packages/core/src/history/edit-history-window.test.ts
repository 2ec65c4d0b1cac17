// issue 18 item 1: events keep a window around the change, so the cost per keystroke is the
// change's, not the document's, and the diffs are exactly the whole-file ones.
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../edits/index.js';
import type { TextEdit } from '../types.js';
import { applyUnifiedDiff, reverseUnifiedDiff, unifiedDiff } from './diff.js';
import { EditHistory, LONG_LINE_CLIP, type DocLike } from './edit-history.js';

/** The history as it was before windows: whole texts per event, diffed whole. */
class WholeFileHistory {
  events: { path: string; before: string; after: string }[] = [];
  current: { path: string; before: string; after: string; time: number; line: number } | undefined;
  constructor(private now: () => number) {}
  record(path: string, before: string, changes: TextEdit[], accepted = false) {
    const after = applyEdits(before, changes);
    const time = this.now();
    const line = before.slice(0, changes[0]!.from).split('\n').length - 1;
    const cur = this.current;
    if (!accepted && cur && cur.path === path && cur.after === before && time - cur.time <= 1000 && Math.abs(line - cur.line) <= 8) {
      Object.assign(cur, { after, time, line });
      return;
    }
    this.settle();
    this.current = { path, before, after, time, line };
    if (accepted) this.settle();
  }
  settle() {
    const cur = this.current;
    this.current = undefined;
    if (cur && cur.before !== cur.after) this.events.push(cur);
    if (this.events.length > 6) this.events.shift();
  }
  all(): { before: string; after: string; diff: string }[] {
    if (this.current && this.now() - this.current.time > 1000) this.settle();
    const c = this.current;
    return [...this.events, ...(c && c.before !== c.after ? [c] : [])].map((e) => ({ ...e, diff: unifiedDiff(e.path, e.before, e.after) }));
  }
}

/** Deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A string as CodeMirror's Text would present it, counting how many characters are read. */
class CountingDoc implements DocLike {
  read = 0;
  private starts = [0];
  constructor(private text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  get length() { return this.text.length; }
  get lines() { return this.starts.length; }
  sliceString(from: number, to = this.text.length) {
    this.read += to - from;
    return this.text.slice(from, to);
  }
  line(n: number) {
    return { number: n, from: this.starts[n - 1]!, to: n < this.starts.length ? this.starts[n]! - 1 : this.text.length };
  }
  lineAt(pos: number) {
    let n = 1;
    while (n < this.starts.length && this.starts[n]! <= pos) n++;
    return this.line(n);
  }
}

describe('EditHistory windows', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('gives the whole-file diffs on random edits (seed %i)', (seed) => {
    const r = rng(seed);
    let same = 0;
    let compared = 0;
    let t = 0;
    const now = () => t;
    const h = new EditHistory({ now });
    const ref = new WholeFileHistory(now);
    const words = ['a', 'foo', 'bar()', ' ', '\n', '\n\n', 'x\r\n', '😀', ''];
    let doc = Array.from({ length: 40 }, (_, i) => `line ${i}${i % 7 === 0 ? '\r' : ''}\n`).join('') + (seed % 2 ? 'tail' : '');
    for (let step = 0; step < 400; step++) {
      t += r() < 0.15 ? 1500 : 50;
      const n = r() < 0.2 ? 2 : 1;
      const changes: TextEdit[] = [];
      let pos = 0;
      for (let k = 0; k < n && pos <= doc.length; k++) {
        const from = pos + Math.floor(r() * (doc.length - pos + 1) * (n === 1 ? 1 : 0.5));
        const to = Math.min(doc.length, from + (r() < 0.4 ? Math.floor(r() * 12) : 0));
        const insert = words[Math.floor(r() * words.length)]!;
        if (from === to && insert === '') continue;
        changes.push({ from, to, insert });
        pos = to + 1;
      }
      if (!changes.length) continue;
      const accepted = r() < 0.05;
      const path = r() < 0.03 ? 'b.ts' : 'a.ts';
      h.record(path, r() < 0.5 ? doc : new CountingDoc(doc), changes, { accepted });
      ref.record(path, doc, changes, accepted);
      doc = applyEdits(doc, changes);
      const mine = [...h.settled(), ...(h.pending() ? [h.pending()!] : [])];
      const want = ref.all();
      expect(mine.length, `step ${step}`).toBe(want.length);
      mine.forEach((d, i) => {
        compared++;
        if (d === want[i]!.diff) return same++;
        // Among repeated lines (blank ones) the whole file's greedy prefix match can place the
        // hunk elsewhere than the change; the window's is as valid: it must still apply both ways.
        expect(applyUnifiedDiff(want[i]!.before, d), `step ${step}`).toBe(want[i]!.after);
        expect(reverseUnifiedDiff(want[i]!.after, d), `step ${step}`).toBe(want[i]!.before);
      });
    }
    expect(same / compared).toBeGreaterThan(0.9);
  });

  it('reads only the lines around a change of a large document', () => {
    const h = new EditHistory();
    let text = Array.from({ length: 50_000 }, (_, i) => `const v${i} = ${i};\n`).join('');
    let pos = text.indexOf('const v25000');
    let read = 0;
    for (const c of 'hello') {
      const doc = new CountingDoc(text);
      h.record('big.ts', doc, [{ from: pos, to: pos, insert: c }]);
      text = applyEdits(text, [{ from: pos, to: pos, insert: c }]);
      pos++;
      read = Math.max(read, doc.read);
    }
    expect(read).toBeLessThan(500);
    expect(h.pending()).toBe('--- a/big.ts\n+++ b/big.ts\n@@ -24998,7 +24998,7 @@\n const v24997 = 24997;\n const v24998 = 24998;\n const v24999 = 24999;\n-const v25000 = 25000;\n+helloconst v25000 = 25000;\n const v25001 = 25001;\n const v25002 = 25002;\n const v25003 = 25003;\n');
  });

  it('does not record a change larger than maxEventChars, and bounds the settled diffs in total', () => {
    let t = 0;
    const h = new EditHistory({ now: () => t, maxEventChars: 1000, maxTotalChars: 800 });
    h.record('a.ts', 'x\n', [{ from: 0, to: 0, insert: 'y'.repeat(2000) }]);
    expect(h.pending()).toBeUndefined();
    let doc = 'x\n';
    for (let i = 0; i < 6; i++) {
      t += 2000;
      const insert = `${i}`.repeat(60);
      h.record('a.ts', doc, [{ from: 0, to: 0, insert }]);
      doc = insert + doc;
    }
    h.settle();
    const events = h.settled();
    expect(events.reduce((n, d) => n + d.length, 0)).toBeLessThanOrEqual(800);
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThan(6);
    expect(events.at(-1)).toContain('+' + '5'.repeat(60));
  });

  it('cuts a 1 MB line around the change, never inside a surrogate pair', () => {
    const h = new EditHistory();
    const line = 'a=1;'.repeat(125_000) + 'let total=0;total+=1;' + '😀b=2;'.repeat(50_000) + '\n';
    const at = line.indexOf('total');
    const doc = new CountingDoc(line);
    h.record('min.js', doc, [{ from: at, to: at + 5, insert: 'sum' }]);
    expect(doc.read).toBeLessThan(3 * LONG_LINE_CLIP);
    const diff = h.pending()!;
    expect(diff.length).toBeLessThan(5 * LONG_LINE_CLIP);
    expect(diff).toContain('-' + 'a=1;'.repeat(10));
    expect(diff).toMatch(/\+a=1;.*let sum=0;total\+=1;😀b=2;/);
    expect(diff).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });
});
