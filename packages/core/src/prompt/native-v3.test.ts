import { describe, expect, it } from 'vitest';
import { CharTokenizer } from '../testing/char-tokenizer.js';
import { EditHistory } from '../history/index.js';
import { nativeV2Format } from './native-v2.js';
import { nativeV3Format } from './native-v3.js';
import { getPromptFormat } from './registry.js';
import type { PredictRequest } from '../types.js';

const tok = new CharTokenizer(nativeV3Format.specialTokens);
const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}\n`).join('');
const shared = (a: number[], b: number[]) => {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
};

describe('native v3 build', () => {
  it('lays out a small file exactly: settled history, other blocks, the event being typed, the cursor block (golden)', () => {
    const text = 'a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n';
    const settled = '--- a/x.py\n+++ b/x.py\n@@ -1,1 +1,1 @@\n-a\n+a = 1\n';
    const live = '--- a/x.py\n+++ b/x.py\n@@ -5,1 +5,1 @@\n-e\n+e = 5\n';
    const req: PredictRequest = { path: 'x.py', text, cursor: 29, events: [settled, live] };
    const p = nativeV3Format.build(req, tok);
    expect(p.text).toBe(
      `<|file|>x.py\n<|history|>${settled}<|region|><|block_0|>a = 1\nb = 2\nc = 3\nd = 4\n` +
        `<|history|>${live}<|block_1|>e = 5<|cursor|>\n<|answer|>`,
    );
    expect(tok.decode(p.tokens)).toBe(p.text);
    expect(p.blocks).toEqual([
      { from: 0, to: 24 },
      { from: 24, to: 30 },
    ]);
    expect(tok.decode(p.draft)).toBe('<|block_0|>a = 1\nb = 2\nc = 3\nd = 4\n<|/block|><|block_1|>e = 5\n<|/block|>');
  });

  it('is native v2 in its answers: the same target, parse and positions per block marker', () => {
    const text = lines(12);
    const req: PredictRequest = { path: 'f', text, cursor: text.indexOf('line 5'), events: ['--- a/f\n+++ b/f\n@@ -1,1 +1,1 @@\n-x\n+line 0\n'] };
    const v3 = nativeV3Format.build(req, tok);
    const v2 = nativeV2Format.build(req, tok);
    expect(v3.blocks).toEqual(v2.blocks);
    const after = text.replace('line 5', 'line five');
    const answer = nativeV3Format.target(v3, after)!;
    expect(answer).toBe(nativeV2Format.target(v2, after));
    expect(nativeV3Format.parse(answer, v3)).toEqual(nativeV2Format.parse(answer, v2));
    // The answer's block marker takes the position of its twin in the prompt.
    const marker = tok.tokenId('<|block_1|>')!;
    const at = v3.tokens.indexOf(marker);
    expect(v3.nextPosition!(marker, 999)).toBe(v3.positions![at]);
    expect(getPromptFormat('native@3')).toBe(nativeV3Format);
  });

  it('keeps everything before the event being typed cached while the user types in one block', () => {
    const base = lines(40);
    const at = base.indexOf('line 21\n') + 'line 21'.length;
    const history = new EditHistory({ now: () => 0 });
    const settled = '--- a/f\n+++ b/f\n@@ -3,1 +3,1 @@\n-old\n+line 2\n';
    const word = ' = compute(value)';
    const prompts = [];
    const v2 = [];
    let text = base;
    for (let k = 0; k < word.length; k++) {
      history.record('f', text, [{ from: at + k, to: at + k, insert: word[k]! }]);
      text = text.slice(0, at + k) + word[k] + text.slice(at + k);
      const request = { path: 'f', text, cursor: at + k + 1, events: [settled, history.pending()!] };
      prompts.push(nativeV3Format.build(request, tok));
      v2.push(nativeV2Format.build(request, tok));
    }
    for (let k = 1; k < prompts.length; k++) {
      const [a, b] = [prompts[k - 1]!, prompts[k]!];
      // The window did not move: the same blocks (later ones shifted by the typed character).
      expect(b.blocks!.map((x) => x.from - (x.from > at ? k + 1 : 0))).toEqual(a.blocks!.map((x) => x.from - (x.from > at ? k : 0)));
      const live = b.text.lastIndexOf('<|history|>');
      // Everything up to the event being typed is the previous prompt's, token for token.
      expect(shared(a.tokens, b.tokens)).toBeGreaterThanOrEqual(tok.encode(b.text.slice(0, live)).length);
      expect(shared(a.tokens, b.tokens) / b.tokens.length).toBeGreaterThan(0.75);
      // native v2 puts the event being typed before the window: little survives a keystroke.
      expect(shared(v2[k - 1]!.tokens, v2[k]!.tokens) / v2[k]!.tokens.length).toBeLessThan(0.35);
    }
  });

  it('shows events without context lines, as mined training events are written', () => {
    const history = new EditHistory();
    const text = lines(12);
    history.record('f', text, [{ from: text.indexOf('line 6'), to: text.indexOf('line 6') + 6, insert: 'six' }]);
    const p = nativeV3Format.build({ path: 'f', text: text.replace('line 6', 'six'), cursor: 0, events: [history.pending()!] }, tok);
    expect(history.pending()).toContain(' line 5\n');
    expect(p.text).toContain('<|history|>--- a/f\n+++ b/f\n@@ -7,1 +7,1 @@\n-line 6\n+six\n<|block_0|>');
  });

  it('holds the event being typed to its own budget, apart from the settled history', () => {
    const big = '--- a/f\n+++ b/f\n@@ -1,1 +1,1 @@\n-a\n+' + 'x'.repeat(400) + '\n';
    const small = '--- a/f\n+++ b/f\n@@ -2,1 +2,1 @@\n-b\n+line 1\n';
    const p = nativeV3Format.build({ path: 'f', text: lines(8), cursor: 0, events: [small, big] }, tok, { live: 100 });
    expect(p.text).toContain(`<|history|>${small}<|region|>`);
    expect(p.text).not.toContain('x'.repeat(400));
  });
});

describe('native v3 settled prefix (warm-up)', () => {
  const text = 'a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n';
  const first = '--- a/x.py\n+++ b/x.py\n@@ -1,1 +1,1 @@\n-a\n+a = 1\n';
  const second = '--- a/x.py\n+++ b/x.py\n@@ -5,1 +5,1 @@\n-e\n+e = 5\n';

  it('is everything before the event being typed, every event taken as settled (golden)', () => {
    const prefix = nativeV3Format.settledPrefix!({ path: 'x.py', text, cursor: 29, events: [first, second] }, tok);
    expect(tok.decode(prefix.tokens)).toBe(`<|file|>x.py\n<|history|>${first}${second}<|region|><|block_0|>a = 1\nb = 2\nc = 3\nd = 4\n`);
  });

  it('is what the first keystroke after the pause builds on: the same tokens at the same positions', () => {
    const base = lines(40);
    const cursor = base.indexOf('line 21\n') + 'line 21'.length;
    const settled = '--- a/f\n+++ b/f\n@@ -3,1 +3,1 @@\n-old\n+line 2\n';
    const paused: PredictRequest = { path: 'f', text: base, cursor, events: [settled] };
    const prefix = nativeV3Format.settledPrefix!(paused, tok);
    // The user types again: a new event, the old one now settled before it.
    const history = new EditHistory({ now: () => 0 });
    const typed = base.slice(0, cursor) + 'x' + base.slice(cursor);
    history.record('f', base, [{ from: cursor, to: cursor, insert: 'x' }]);
    const next = nativeV3Format.build({ path: 'f', text: typed, cursor: cursor + 1, events: [settled, history.pending()!] }, tok);
    expect(next.tokens.slice(0, prefix.tokens.length)).toEqual(prefix.tokens);
    expect(next.positions!.slice(0, prefix.tokens.length)).toEqual(prefix.positions);
    expect(prefix.tokens.length).toBeGreaterThan(next.tokens.length * 0.6);
    // Built as a keystroke request instead, the pause's last event would be the one "being typed": the prefix would differ.
    const asLive = nativeV3Format.build(paused, tok);
    expect(shared(asLive.tokens, next.tokens)).toBeLessThan(prefix.tokens.length);
  });
});
