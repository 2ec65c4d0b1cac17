import { describe, expect, it } from 'vitest';
import { CharTokenizer } from '../testing/char-tokenizer.js';
import { nativeFormat } from './native.js';
import { blockToken, DEFAULT_V2_BUDGET, MAX_ANSWER_TOKENS, nativeV2Format, NATIVE_V2_TOKENS as T } from './native-v2.js';
import { placeAfter } from './positions.js';
import type { PredictRequest } from '../types.js';
import { longLineDocument } from '../testing/long-line.js';

const tok = new CharTokenizer(nativeV2Format.specialTokens);
const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}\n`).join('');

describe('native v2 build', () => {
  it('lays out a small file exactly (golden)', () => {
    const text = 'a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n';
    const req: PredictRequest = { path: 'x.py', text, cursor: 7, events: ['--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+a = 1\n'] };
    const p = nativeV2Format.build(req, tok);
    expect(p.text).toBe(
      '<|file|>x.py\n<|history|>--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+a = 1\n' +
        '<|region|><|block_0|>a = 1\nb<|cursor|> = 2\nc = 3\nd = 4\n<|block_1|>e = 5\n<|answer|>',
    );
    expect(tok.decode(p.tokens)).toBe(p.text);
    expect(p.blocks).toEqual([
      { from: 0, to: 24 },
      { from: 24, to: 30 },
    ]);
    expect(p.region).toEqual({ from: 0, to: 30, text });
    expect(tok.decode(p.draft)).toBe('<|block_0|>a = 1\nb = 2\nc = 3\nd = 4\n<|/block|><|block_1|>e = 5\n<|/block|>');
    expect(p.stopTokenIds).toEqual([T.blockEnd, T.noEdit, T.eos].map((t) => tok.tokenId(t)));
    expect(p.maxAnswerTokens).toBe(p.draft.length + 64);
  });

  it('caps answers at MAX_ANSWER_TOKENS however large the window', () => {
    const p = nativeV2Format.build({ path: 'f', text: lines(200), cursor: 500, events: [] }, tok);
    expect(p.draft.length + 64).toBeGreaterThan(MAX_ANSWER_TOKENS);
    expect(p.maxAnswerTokens).toBe(MAX_ANSWER_TOKENS);
  });

  it('puts diagnostics inside the window after the history, budgeted', () => {
    const text = lines(8);
    const diagnostics = [
      { from: text.indexOf('line 2'), to: text.indexOf('line 2') + 4, severity: 'error' as const, message: 'Cannot\nfind name' },
      { from: text.indexOf('line 5'), to: text.indexOf('line 5') + 4, severity: 'warning' as const, message: 'unused' },
    ];
    const p = nativeV2Format.build({ path: 'f', text, cursor: 0, events: [], diagnostics }, tok, { diagnostics: 40 });
    expect(p.text).toContain('<|history|><|diagnostics|>line 3: error: Cannot find name\n<|region|>');
    expect(p.text).not.toContain('unused');
  });

  it('gives the answer block marker its prompt twin position, text counting on, the cursor none', () => {
    const text = 'ab\ncd\nef\ngh\nij\n';
    const p = nativeV2Format.build({ path: 'f', text, cursor: 4, events: [] }, tok);
    const pos = p.positions!;
    expect(pos).toHaveLength(p.tokens.length);
    const cursor = p.tokens.indexOf(tok.tokenId(T.cursor)!);
    expect(pos[cursor]).toBe(pos[cursor + 1]);
    const block1 = p.tokens.indexOf(tok.tokenId(blockToken(1))!);
    const answer = nativeV2Format.target(p, text.replace('ij', 'IJ'))!;
    expect(answer).toBe('<|block_1|>IJ\n<|/block|>');
    const ids = tok.encode(answer);
    const placed = placeAfter(pos[pos.length - 1]!, ids, p.nextPosition);
    // The char tokenizer makes one token per character: "IJ\n" sits where "ij\n" did.
    expect(placed.slice(0, 4)).toEqual([pos[block1], pos[block1] + 1, pos[block1] + 2, pos[block1] + 3]);
  });

  it('keeps every token before the cursor block stable while typing in it', () => {
    const base = lines(60);
    const at = base.indexOf('line 30') + 7;
    const prompts = ['', 'x', 'xy'].map((typed) => {
      const text = base.slice(0, at) + typed + base.slice(at);
      return nativeV2Format.build({ path: 'f', text, cursor: at + typed.length, events: [] }, tok, { window: 200 });
    });
    const home = prompts[0].blocks!.findIndex((b) => b.from <= at && at < b.to);
    for (const p of prompts.slice(1)) {
      expect(p.blocks![0]).toEqual(prompts[0].blocks![0]);
      const upTo = p.tokens.indexOf(tok.tokenId(blockToken(home))!);
      expect(upTo).toBeGreaterThan(0);
      expect(p.tokens.slice(0, upTo + 1)).toEqual(prompts[0].tokens.slice(0, upTo + 1));
    }
  });

  it('respects the window budget, at most 24 blocks, and skips an over-long line', () => {
    const text = lines(400);
    const p = nativeV2Format.build({ path: 'f', text, cursor: text.indexOf('line 200'), events: [] }, tok, { window: 100_000 });
    expect(p.blocks).toHaveLength(24);
    const small = nativeV2Format.build({ path: 'f', text, cursor: text.indexOf('line 200'), events: [] }, tok, { window: 90 });
    expect(small.region.text).toContain('line 200');
    expect(tok.encode(small.region.text).length).toBeLessThanOrEqual(90);
  });

  it('cuts a 100 KB line to one block around the cursor, every part within its budget', () => {
    const { long, text, cursor } = longLineDocument();
    const events = [`--- a/m.js\n+++ b/m.js\n@@ -2 +2 @@\n-${long}\n+${long}x\n`, 'e small\n'];
    const p = nativeV2Format.build({ path: 'm.js', text, cursor, events }, tok);
    expect(p.blocks).toHaveLength(1);
    const [b] = p.blocks!;
    expect(b!.from).toBeLessThanOrEqual(cursor);
    expect(b!.to).toBeGreaterThanOrEqual(cursor);
    expect(b!.to - b!.from).toBeLessThan(256);
    expect(b!.to - b!.from).toBeGreaterThan(100);
    expect(p.tokens.length).toBeLessThanOrEqual(DEFAULT_V2_BUDGET.window + DEFAULT_V2_BUDGET.history + 20);
    expect(p.text).toContain('<|history|>e small\n<|region|>');
    const after = text.slice(0, cursor) + 'b' + text.slice(cursor);
    const answer = nativeV2Format.target(p, after)!;
    expect(nativeV2Format.parse(answer, p)).toEqual({ kind: 'edit', text: after.slice(b!.from, b!.to + 1), span: b });
    expect(nativeV2Format.target(p, text + 'y')).toBeNull();
  });

  it('builds for an empty document and a cursor at the very end', () => {
    const empty = nativeV2Format.build({ path: 'f', text: '', cursor: 0, events: [] }, tok);
    expect(empty.text.endsWith('<|region|><|block_0|><|cursor|><|answer|>')).toBe(true);
    const end = nativeV2Format.build({ path: 'f', text: 'a\nb\n', cursor: 4, events: [] }, tok);
    expect(end.text.endsWith('<|block_0|>a\nb\n<|cursor|><|answer|>')).toBe(true);
  });
});

describe('native v2 parse', () => {
  const text = lines(12);
  const p = nativeV2Format.build({ path: 'f', text, cursor: text.indexOf('line 5'), events: [] }, tok);
  const b = p.blocks!;
  it('maps a block answer to its span, and consecutive blocks to theirs', () => {
    expect(nativeV2Format.parse('<|block_1|>X\n<|/block|>', p)).toEqual({ kind: 'edit', text: 'X\n', span: b[1] });
    expect(nativeV2Format.parse('<|block_1|>X\n<|block_2|>Y\n<|/block|>', p)).toEqual({
      kind: 'edit',
      text: 'X\nY\n',
      span: { from: b[1]!.from, to: b[2]!.to },
    });
    expect(nativeV2Format.parse('<|no_edit|>', p)).toEqual({ kind: 'no-edit' });
  });
  it('treats malformed answers as no-edit', () => {
    for (const bad of [
      '<|block_1|>X\n', // truncated
      '<|block_9|>X\n<|/block|>', // unknown block
      '<|block_2|>X<|block_1|>Y<|/block|>', // out of order
      '<|block_0|>X<|block_2|>Y<|/block|>', // not consecutive
      'X\n<|/block|>', // no block marker
      '<|block_1|>X<|cursor|>\n<|/block|>', // a marker inside the text
    ]) {
      expect(nativeV2Format.parse(bad, p), bad).toEqual({ kind: 'no-edit' });
    }
  });
  it('streams the first block text while it holds no marker', () => {
    expect(nativeV2Format.partial!('<|block_1|>li', p)).toEqual({ text: 'li', from: b[1]!.from });
    expect(nativeV2Format.partial!('li', p)).toBeUndefined();
    expect(nativeV2Format.partial!('<|block_1|>a<|block_2|>', p)).toBeUndefined();
  });
});

describe('native v2 target', () => {
  const text = lines(40);
  const p = nativeV2Format.build({ path: 'f', text, cursor: text.indexOf('line 20'), events: [] }, tok, { window: 120 });
  const first = p.blocks![0]!;
  it('answers the block a change is in, an insertion at a boundary the block it starts, no_edit, or null outside', () => {
    expect(nativeV2Format.target(p, text.replace('line 21', 'line twenty-one'))).toMatch(
      /^<\|block_\d+\|>line 20\nline twenty-one\nline 22\nline 23\n<\|\/block\|>$/,
    );
    expect(nativeV2Format.target(p, text)).toBe(T.noEdit);
    expect(nativeV2Format.target(p, text.replace('line 0\n', 'line zero\n'))).toBeNull();
    const boundary = p.blocks![1]!.from;
    const inserted = text.slice(0, boundary) + 'new\n' + text.slice(boundary);
    expect(nativeV2Format.target(p, inserted)).toBe(`${blockToken(1)}new\n${text.slice(boundary, p.blocks![1]!.to)}${T.blockEnd}`);
    expect(first.from).toBeGreaterThan(0);
  });
  it('round-trips through parse across two blocks', () => {
    const b1 = p.blocks![1]!;
    const after = text.slice(0, b1.to - 3) + 'JOINED' + text.slice(b1.to + 3);
    const answer = nativeV2Format.target(p, after)!;
    const parsed = nativeV2Format.parse(answer, p);
    expect(parsed.kind).toBe('edit');
    if (parsed.kind !== 'edit') return;
    expect(text.slice(0, parsed.span!.from) + parsed.text + text.slice(parsed.span!.to)).toBe(after);
  });
});

describe('marker text inside a file', () => {
  it('never becomes a special token in either native format, and answers round-trip to the real text', () => {
    const text = 'const a = "<|block_3|>";\nconst b = "<|region|>";\n';
    for (const format of [nativeFormat, nativeV2Format]) {
      const p = format.build({ path: 'f.ts', text, cursor: 0, events: ['+x = "<|cursor|>"\n'] }, tok);
      // Only the format's own markers are special: the file's look-alikes stay text.
      expect(p.tokens).not.toContain(tok.tokenId('<|block_3|>'));
      expect(p.tokens.filter((t) => t === tok.tokenId('<|cursor|>'))).toHaveLength(1);
      const after = text.replace('const b', 'const c');
      const answer = format.target(p, after)!;
      const parsed = format.parse(answer, p);
      expect(parsed.kind).toBe('edit');
      if (parsed.kind !== 'edit') continue;
      const span = parsed.span ?? p.region;
      expect(text.slice(0, span.from) + parsed.text + text.slice(span.to)).toBe(after);
    }
  });
});
