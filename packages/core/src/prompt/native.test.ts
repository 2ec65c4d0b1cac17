import { describe, expect, it } from 'vitest';
import { CharTokenizer } from '../testing/char-tokenizer.js';
import { nativeFormat, NATIVE_TOKENS as T } from './native.js';
import { DEFAULT_BUDGET } from './types.js';
import type { PredictRequest } from '../types.js';
import { longLineDocument } from '../testing/long-line.js';

const tok = new CharTokenizer(nativeFormat.specialTokens);
const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}\n`).join('');

describe('native build', () => {
  it('lays out a small file exactly (golden)', () => {
    const text = 'a = 1\nb = 2\n';
    const req: PredictRequest = { path: 'x.py', text, cursor: 7, events: ['--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+a = 1\n'] };
    const p = nativeFormat.build(req, tok);
    expect(p.text).toBe(
      '<|file|>x.py\n<|suffix|><|history|>--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+a = 1\n<|prefix|>' +
        '<|region|>a = 1\nb<|cursor|> = 2\n<|/region|><|answer|>',
    );
    expect(tok.decode(p.tokens)).toBe(p.text);
    expect(p.region).toEqual({ from: 0, to: text.length, text });
    expect(tok.decode(p.draft)).toBe(text + T.regionEnd);
    expect(p.stopTokenIds).toEqual([T.regionEnd, T.noEdit, T.eos].map((t) => tok.tokenId(t)));
  });

  it('gives aligned positions: the answer starts where the region does, the cursor takes none', () => {
    const text = 'ab\ncd\n';
    const p = nativeFormat.build({ path: 'x.py', text, cursor: 4, events: [] }, tok);
    const pos = p.positions!;
    expect(pos).toHaveLength(p.tokens.length);
    const at = (marker: string) => p.tokens.indexOf(tok.tokenId(marker)!);
    const region = at(T.region);
    const cursor = at(T.cursor);
    expect(pos[p.tokens.length - 1]).toBe(pos[region]);
    expect(pos[cursor]).toBe(pos[cursor + 1]);
    expect(pos.slice(0, cursor)).toEqual(pos.slice(0, cursor).map((_, i) => i));
    // The char tokenizer makes one token per character: region character k sits
    // at region + 1 + k, where the answer's k-th token will be generated.
    expect(pos[region + 1 + 3]).toBe(pos[region] + 1 + 3);
  });

  it('puts far suffix first, prefix before the region, and respects budgets', () => {
    const text = lines(200);
    const cursor = text.indexOf('line 100') + 3;
    const budget = { region: 60, near: 200, history: 32 }; // fits e2+e3 (31), not e1 too
    const events = ['e1 old event\n', 'e2 newer event\n', 'e3 newest event\n'];
    const p = nativeFormat.build({ path: 'f', text, cursor, events }, tok, budget);
    expect(tok.encode(p.region.text).length).toBeLessThanOrEqual(60);
    expect(p.region.text).toContain('line 100\n');
    const suffix = p.text.slice(p.text.indexOf(T.suffix) + T.suffix.length, p.text.indexOf(T.history));
    const history = p.text.slice(p.text.indexOf(T.history) + T.history.length, p.text.indexOf(T.prefix));
    const prefix = p.text.slice(p.text.indexOf(T.prefix) + T.prefix.length, p.text.indexOf(T.region));
    expect(tok.encode(suffix).length + tok.encode(prefix).length).toBeLessThanOrEqual(200);
    expect(text.slice(p.region.to).startsWith(suffix)).toBe(true);
    expect(text.slice(0, p.region.from).endsWith(prefix)).toBe(true);
    expect(prefix.length).toBeGreaterThan(0);
    // newest events kept, oldest first
    expect(history).toBe('e2 newer event\ne3 newest event\n');
  });

  it('keeps the region and all tokens before it stable while typing on one line', () => {
    const base = lines(40);
    const at = base.indexOf('line 21') + 7;
    const prompts = ['', 'x', 'xy', 'xyz'].map((typed) => {
      const text = base.slice(0, at) + typed + base.slice(at);
      return nativeFormat.build({ path: 'f', text, cursor: at + typed.length, events: [] }, tok);
    });
    for (const p of prompts.slice(1)) {
      expect(p.region.from).toBe(prompts[0].region.from);
      const upTo = p.tokens.indexOf(tok.tokenId(T.region)!);
      expect(upTo).toBeGreaterThan(0);
      expect(p.tokens.slice(0, upTo + 1)).toEqual(prompts[0].tokens.slice(0, upTo + 1));
    }
    // moving to a neighbouring line inside the same grid cell keeps it too
    const other = nativeFormat.build({ path: 'f', text: base, cursor: base.indexOf('line 22'), events: [] }, tok);
    expect(other.region).toEqual(prompts[0].region);
  });

  it('builds for an empty document and a cursor at the very end', () => {
    const empty = nativeFormat.build({ path: 'f', text: '', cursor: 0, events: [] }, tok);
    expect(empty.region).toEqual({ from: 0, to: 0, text: '' });
    expect(empty.text.endsWith('<|region|><|cursor|><|/region|><|answer|>')).toBe(true);
    const end = nativeFormat.build({ path: 'f', text: 'a\nb\n', cursor: 4, events: [] }, tok);
    expect(end.text.endsWith('<|region|>a\nb\n<|cursor|><|/region|><|answer|>')).toBe(true);
  });

  it('shrinks an over-budget region to the block around the cursor', () => {
    const text = 'a1\na2\n\nb1\nb2\nb3\n\nc1\n';
    const p = nativeFormat.build({ path: 'f', text, cursor: text.indexOf('b2'), events: [] }, tok, { region: 12 });
    expect(p.region.text).toBe('b1\nb2\nb3\n');
  });
});

describe('native parse', () => {
  const p = nativeFormat.build({ path: 'f', text: 'a\n', cursor: 0, events: [] }, tok);
  it('reads the answer up to the end marker', () => {
    expect(nativeFormat.parse('b\n<|/region|>', p)).toEqual({ kind: 'edit', text: 'b\n' });
    expect(nativeFormat.parse('<|no_edit|>', p)).toEqual({ kind: 'no-edit' });
  });
  it('treats malformed answers as no-edit', () => {
    expect(nativeFormat.parse('b\n', p)).toEqual({ kind: 'no-edit' }); // truncated
    expect(nativeFormat.parse('b<|region|>\n<|/region|>', p)).toEqual({ kind: 'no-edit' });
    expect(nativeFormat.parse('b<|cursor|>\n<|/region|>', p)).toEqual({ kind: 'no-edit' });
  });
  it('streams only marker-free prefixes', () => {
    expect(nativeFormat.partial!('b\nc', p)).toEqual({ text: 'b\nc', from: 0 });
    expect(nativeFormat.partial!('b<|no_edit|>', p)).toBeUndefined();
  });
});

describe('native target', () => {
  const text = lines(40);
  const p = nativeFormat.build({ path: 'f', text, cursor: text.indexOf('line 20'), events: [] }, tok);
  it('gives the new region plus end marker, no_edit, or null outside the region', () => {
    const inside = text.replace('line 20', 'line twenty');
    expect(nativeFormat.target(p, inside)).toBe(p.region.text.replace('line 20', 'line twenty') + T.regionEnd);
    expect(nativeFormat.target(p, text)).toBe(T.noEdit);
    expect(nativeFormat.target(p, text.replace('line 0\n', 'line zero\n'))).toBeNull();
    expect(nativeFormat.target(p, text.replace('line 39', 'line x'))).toBeNull();
  });
});

describe('native build on a 100 KB line', () => {
  const { long, text, cursor } = longLineDocument();
  const events = [`--- a/m.js\n+++ b/m.js\n@@ -2 +2 @@\n-${long}\n+${long}x\n`, 'e small\n'];

  it('cuts the region to its budget around the cursor and keeps every part within its own', () => {
    const p = nativeFormat.build({ path: 'm.js', text, cursor, events }, tok);
    const { region, near, history } = DEFAULT_BUDGET;
    expect(p.region.from).toBeLessThanOrEqual(cursor);
    expect(p.region.to).toBeGreaterThanOrEqual(cursor);
    expect(p.region.to - p.region.from).toBeLessThanOrEqual(region);
    expect(p.region.to - p.region.from).toBeGreaterThan(region / 2);
    expect(p.tokens.length).toBeLessThanOrEqual(region + near + history + 20);
    expect(p.text).toContain('<|history|>e small\n<|prefix|>');
    // The region is the document's text there: answers map back into the line.
    const after = text.slice(0, cursor) + 'b' + text.slice(cursor);
    expect(nativeFormat.target(p, after)).toBe(text.slice(p.region.from, cursor) + 'b' + text.slice(cursor, p.region.to) + T.regionEnd);
  });

  it('keeps the cut where it is while the cursor moves inside a grid cell', () => {
    const at = (c: number) => nativeFormat.build({ path: 'm.js', text, cursor: c, events: [] }, tok).region;
    const base = Math.floor(cursor / 32) * 32;
    expect(at(base + 1)).toEqual(at(base + 30));
  });

  it('never splits a surrogate pair', () => {
    const astral = '😀'.repeat(50_000);
    const p = nativeFormat.build({ path: 'e.txt', text: astral, cursor: 50_001, events: [] }, tok);
    expect(p.region.from % 2).toBe(0);
    expect(p.region.to % 2).toBe(0);
    expect(p.region.to - p.region.from).toBeLessThanOrEqual(DEFAULT_BUDGET.region);
  });
});
