// Golden prompts quote the structure Sweep's clients send (sweepai/cursortab.nvim
// server/provider/sweep/sweep.go): diff blocks `<|file_sep|>{file}.diff` with
// `original:` / `updated:`, then `original/`, `current/` and `updated/` sections
// of the 21-line window, stopping at `<|file_sep|>` (or `<|endoftext|>`, `</s>`).
import { describe, expect, it } from 'vitest';
import { CharTokenizer } from '../testing/char-tokenizer.js';
import { getPromptFormat, listPromptFormats } from './registry.js';
import { DEFAULT_SWEEP_BUDGET, sweepFormat, SWEEP_TOKENS as T } from './sweep.js';
import type { PredictRequest } from '../types.js';
import { longLineDocument } from '../testing/long-line.js';

const tok = new CharTokenizer(sweepFormat.specialTokens);
const lines = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `line ${from + i}\n`).join('');
const section = (p: { text: string }, name: string) => {
  const head = `<|file_sep|>${name}\n`;
  const at = p.text.indexOf(head);
  const rest = p.text.slice(at + head.length);
  return rest.slice(0, rest.indexOf('<|file_sep|>'));
};

describe('sweep build', () => {
  const text = 'def f(x):\n    return x + 1\n\nprint(f(2))\n';
  const req: PredictRequest = {
    path: 'app.py',
    text,
    cursor: text.indexOf(' + 1') + 4,
    events: ['--- a/app.py\n+++ b/app.py\n@@ -1,2 +1,2 @@\n def f(x):\n-    return x\n+    return x + 1\n'],
    relatedFiles: [{ path: 'utils.py', text: 'def g(): pass' }],
  };

  it('lays out related files, history blocks and the original/current/updated sections (golden)', () => {
    const p = sweepFormat.build(req, tok);
    expect(p.text).toBe(
      '<|file_sep|>utils.py\ndef g(): pass\n' +
        '<|file_sep|>app.py.diff\noriginal:\ndef f(x):\n    return x\nupdated:\ndef f(x):\n    return x + 1\n' +
        '<|file_sep|>original/app.py\ndef f(x):\n    return x\n\nprint(f(2))\n' +
        '<|file_sep|>current/app.py\ndef f(x):\n    return x + 1\n\nprint(f(2))\n' +
        '<|file_sep|>updated/app.py\n',
    );
    expect(tok.decode(p.tokens)).toBe(p.text);
    expect(p.region).toEqual({ from: 0, to: text.length, text });
    expect(tok.decode(p.draft)).toBe(text + T.fileSep);
    expect(p.stopTokenIds).toEqual([tok.tokenId(T.fileSep), tok.tokenId(T.eos)]);
    expect(sweepFormat.stopTokens).toEqual(['<|file_sep|>', '<|endoftext|>']);
  });

  it('builds the empty-file prompt of Sweep\'s clients', () => {
    const p = sweepFormat.build({ path: 'main.go', text: '', cursor: 0, events: req.events }, tok);
    expect(p.text).toBe('<|file_sep|>original/main.go\n\n<|file_sep|>current/main.go\n\n<|file_sep|>updated/main.go\n');
  });

  it('shows 21 lines: the cursor line, 10 above and 10 below, clamped at the file ends', () => {
    const big = lines(100);
    const p = sweepFormat.build({ path: 'f', text: big, cursor: big.indexOf('line 50') + 2, events: [] }, tok);
    expect(p.region.text).toBe(lines(21, 40));
    expect(section(p, 'current/f')).toBe(lines(21, 40));
    const top = sweepFormat.build({ path: 'f', text: big, cursor: big.indexOf('line 3'), events: [] }, tok);
    expect(top.region.text).toBe(lines(14, 0));
    const end = sweepFormat.build({ path: 'f', text: big, cursor: big.length, events: [] }, tok);
    expect(end.region.text).toBe(lines(11, 89));
    // A last line without a newline is shown with one, and given back without.
    const bare = sweepFormat.build({ path: 'f', text: 'a\nb', cursor: 3, events: [] }, tok);
    expect(section(bare, 'current/f')).toBe('a\nb\n');
    expect(sweepFormat.parse('a\nc\n<|file_sep|>', bare)).toEqual({ kind: 'edit', text: 'a\nc' });
  });

  it('shrinks a window over the region budget from its far ends, keeping the cursor line', () => {
    const big = lines(100);
    const p = sweepFormat.build({ path: 'f', text: big, cursor: big.indexOf('line 50'), events: [] }, tok, { region: 40 });
    expect(p.region.text).toContain('line 50\n');
    expect(p.region.text.length).toBeLessThanOrEqual(40);
    expect(p.region.text.split('\n').length - 1).toBe(5);
  });

  it('shows the window before this file\'s last change under original/, the same lines', () => {
    const before = lines(40);
    const after = before.replace('line 20\n', 'line twenty\n');
    const event = '--- a/f\n+++ b/f\n@@ -20,3 +20,3 @@\n line 19\n-line 20\n+line twenty\n line 21\n';
    const p = sweepFormat.build({ path: 'f', text: after, cursor: after.indexOf('twenty'), events: [event] }, tok);
    expect(section(p, 'original/f')).toBe(lines(21, 10));
    expect(section(p, 'current/f')).toBe(lines(21, 10).replace('line 20\n', 'line twenty\n'));
    // Another file's event leaves original/ as the current window.
    const other = event.replaceAll(' a/f', ' a/g').replaceAll(' b/f', ' b/g');
    const q = sweepFormat.build({ path: 'f', text: after, cursor: after.indexOf('twenty'), events: [other] }, tok);
    expect(section(q, 'original/f')).toBe(section(q, 'current/f'));
    expect(q.text).toContain('<|file_sep|>g.diff\noriginal:\nline 19\nline 20\nline 21\nupdated:\nline 19\nline twenty\nline 21\n');
    // A pure insertion (`+c,0`-style counts on the old side) is undone too.
    const inserted = before.replace('line 5\n', 'line 5\nnew\n');
    const ins = '--- a/f\n+++ b/f\n@@ -6,0 +7 @@\n+new\n';
    const r = sweepFormat.build({ path: 'f', text: inserted, cursor: inserted.indexOf('new'), events: [ins] }, tok);
    expect(section(r, 'original/f')).toBe(lines(17, 0));
    expect(r.text).toContain('<|file_sep|>f.diff\noriginal:\n\nupdated:\nnew\n');
  });

  it('keeps the newest history blocks that fit, oldest first, and skips events that change nothing', () => {
    const ev = (n: number) => `--- a/h.py\n+++ b/h.py\n@@ -1 +1 @@\n-v${n}\n+v${n + 1}\n`;
    const block = (n: number) => `<|file_sep|>h.py.diff\noriginal:\nv${n}\nupdated:\nv${n + 1}\n`;
    const noop = '--- a/h.py\n+++ b/h.py\n@@ -1 +1 @@\n same\n';
    const p = sweepFormat.build({ path: 'f', text: 'x\n', cursor: 0, events: [ev(1), ev(2), noop, ev(3)] }, tok, {
      history: block(2).length + block(3).length,
    });
    expect(p.text.slice(0, p.text.indexOf('<|file_sep|>original/'))).toBe(block(2) + block(3));
  });

  it('escapes marker-like text in the file and unescapes it in answers', () => {
    const p = sweepFormat.build({ path: 'f', text: 'a = "<|file_sep|>"\n', cursor: 0, events: [] }, tok);
    expect(p.tokens.filter((t) => t === tok.tokenId(T.fileSep))).toHaveLength(3);
    const answer = sweepFormat.target(p, 'b = "<|file_sep|>"\n')!;
    expect(sweepFormat.parse(answer, p)).toEqual({ kind: 'edit', text: 'b = "<|file_sep|>"\n' });
  });
});

describe('sweep parse', () => {
  const text = 'a\nb\n\n';
  const p = sweepFormat.build({ path: 'f', text, cursor: 0, events: [] }, tok);

  it('reads the rewritten window up to the stop token; the unchanged window is no-edit', () => {
    expect(sweepFormat.parse('a\nc\n\n<|file_sep|>', p)).toEqual({ kind: 'edit', text: 'a\nc\n\n' });
    expect(sweepFormat.parse('a\nc\n<|endoftext|>', p)).toEqual({ kind: 'edit', text: 'a\nc\n\n' });
    expect(sweepFormat.parse('a\nc</s>', p)).toEqual({ kind: 'edit', text: 'a\nc\n\n' });
    expect(sweepFormat.parse('a\nb\n\n<|file_sep|>', p)).toEqual({ kind: 'no-edit' });
    expect(sweepFormat.parse('a\nb<|file_sep|>', p)).toEqual({ kind: 'no-edit' });
  });

  it('treats a truncated answer (no stop token) as no-edit', () => {
    expect(sweepFormat.parse('a\nc\n', p)).toEqual({ kind: 'no-edit' });
  });

  it('streams the window text from its start while no stop token has come', () => {
    expect(sweepFormat.partial!('a\nc', p)).toEqual({ text: 'a\nc', from: 0 });
    expect(sweepFormat.partial!('a\nc<|file_sep|>', p)).toBeUndefined();
  });

  it('target and unchanged give answers parse reads back; null outside the window', () => {
    const big = lines(60);
    const q = sweepFormat.build({ path: 'f', text: big, cursor: big.indexOf('line 30'), events: [] }, tok);
    const after = big.replace('line 31\n', 'line 31 changed\n');
    const t = sweepFormat.target(q, after)!;
    expect(t).toBe(lines(21, 20).replace('line 31\n', 'line 31 changed\n') + T.fileSep);
    expect(sweepFormat.parse(t, q)).toEqual({ kind: 'edit', text: lines(21, 20).replace('line 31\n', 'line 31 changed\n') });
    expect(sweepFormat.parse(sweepFormat.unchanged!(t, q)!, q)).toEqual({ kind: 'no-edit' });
    expect(sweepFormat.target(q, big)).toBe(sweepFormat.unchanged!(t, q));
    expect(sweepFormat.target(q, big.replace('line 2\n', 'line two\n'))).toBeNull();
  });
});

describe('sweep in the registry', () => {
  it('is built in as sweep@1', () => {
    expect(getPromptFormat('sweep')).toBe(sweepFormat);
    expect(getPromptFormat('sweep@1')).toBe(sweepFormat);
    expect(listPromptFormats()).toContain('sweep@1');
  });
});

describe('sweep build on a 100 KB line', () => {
  const { long, text: before, cursor: at } = longLineDocument();
  // The user just typed `Q` at the cursor: this file's last change, inside the long line.
  const text = before.slice(0, at) + 'Q' + before.slice(at);
  const cursor = at + 1;
  const events = [`--- a/m.js\n+++ b/m.js\n@@ -2 +2 @@\n-${long}\n+${text.split('\n')[1]}\n`];

  it('cuts the window to its budget around the cursor, original/ the same cut before the change', () => {
    const relatedFiles = [{ path: 'big.js', text: long }];
    const p = sweepFormat.build({ path: 'm.js', text, cursor, events, relatedFiles }, tok);
    const { region, near, history } = DEFAULT_SWEEP_BUDGET;
    expect(p.region.from).toBeLessThanOrEqual(cursor);
    expect(p.region.to).toBeGreaterThanOrEqual(cursor);
    expect(p.region.to - p.region.from).toBeLessThanOrEqual(region);
    expect(p.region.to - p.region.from).toBeGreaterThan(region / 2);
    expect(p.tokens.length).toBeLessThanOrEqual(2 * region + near + history + 40);
    expect(p.text).not.toContain('big.js');
    expect(section(p, 'current/m.js')).toBe(p.region.text + '\n');
    expect(section(p, 'original/m.js')).toBe(p.region.text.replace('Q', '') + '\n');
    const after = text.slice(0, cursor) + 'b' + text.slice(cursor);
    expect(sweepFormat.parse(sweepFormat.target(p, after)!, p)).toEqual({ kind: 'edit', text: after.slice(p.region.from, p.region.to + 1) });
  });

  it('shows the window as it is under original/ when the window before the change is over budget', () => {
    // The last change split the long line: the same lines before it are the whole 100 KB line.
    const split = before.replace(long, long.slice(0, 800) + '\n' + long.slice(800));
    const event = `--- a/m.js\n+++ b/m.js\n@@ -2 +2,2 @@\n-${long}\n+${long.slice(0, 800)}\n+${long.slice(800)}\n`;
    const p = sweepFormat.build({ path: 'm.js', text: split, cursor: 8, events: [event] }, tok);
    expect(section(p, 'original/m.js')).toBe(section(p, 'current/m.js'));
    expect(p.tokens.length).toBeLessThanOrEqual(2 * DEFAULT_SWEEP_BUDGET.region + 40);
  });
});

