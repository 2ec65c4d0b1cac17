// Checked against zed-industries/zed crates/zeta_prompt (the zeta1 module and
// excerpt_ranges.rs): the excerpt is "```path\n" [<|start_of_file|>\n] context
// <|editable_region_start|>\n region (cursor marked) \n<|editable_region_end|>
// {the rest of the context, from the region's last newline} \n```, rows ending
// before their newline, a final newline making one more (empty) row; an event
// is "User edited {path}:\n```diff\n{hunk lines, each with its newline}\n```"
// (Zed's test_format_zeta1_from_input_basic shows the blank line before the fence).
import { describe, expect, it } from 'vitest';
import { CharTokenizer } from '../testing/char-tokenizer.js';
import { DEFAULT_ZETA1_BUDGET, zeta1Format, zeta1Ranges, ZETA1_TOKENS as Z } from './zeta1.js';
import type { PredictRequest } from '../types.js';
import { longLineDocument } from '../testing/long-line.js';

const tok = new CharTokenizer(zeta1Format.specialTokens);
const INSTRUCTION =
  'You are a code completion assistant and your task is to analyze user edits and then rewrite an excerpt that the user provides, suggesting the appropriate edits within the excerpt, taking into account the cursor location.';
const excerptOf = (text: string) => text.slice(text.indexOf('### User Excerpt:\n\n') + 19, text.lastIndexOf('\n\n### Response:\n'));
const rows = (n: number) => Array.from({ length: n }, (_, i) => `l${i}\n`).join('');

describe('zeta1 build', () => {
  const text = 'fn a() {\n    epr\n}\n';
  const req: PredictRequest = {
    path: 'src/lib.rs',
    text,
    cursor: text.indexOf('epr') + 3,
    events: ['--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1,2 +1,3 @@\n fn a() {\n+    epr\n }\n'],
  };

  it('matches the Zeta1 layout (golden), the empty row after the final newline inside the region', () => {
    const p = zeta1Format.build(req, tok);
    expect(p.text).toBe(
      `### Instruction:\n${INSTRUCTION}\n\n` +
        '### User Edits:\n\nUser edited src/lib.rs:\n```diff\n@@ -1,2 +1,3 @@\n fn a() {\n+    epr\n }\n\n```\n\n' +
        '### User Excerpt:\n\n```src/lib.rs\n<|start_of_file|>\n<|editable_region_start|>\n' +
        'fn a() {\n    epr<|user_cursor_is_here|>\n}\n\n<|editable_region_end|>\n```\n\n### Response:\n',
    );
    expect(tok.decode(p.tokens)).toBe(p.text);
    expect(p.region).toEqual({ from: 0, to: text.length, text });
    expect(tok.decode(p.draft)).toBe('```src/lib.rs\n<|start_of_file|>\n<|editable_region_start|>\n' + text + '\n' + Z.end);
    expect(p.stopTokenIds).toEqual([tok.tokenId(Z.end), tok.tokenId(Z.eos)]);
  });

  it('grows the region and context as excerpt_ranges.rs does and frames them as Zed does (golden)', () => {
    const big = rows(20);
    const p = zeta1Format.build({ path: 'f', text: big, cursor: big.indexOf('l10'), events: [] }, tok, { region: 8, near: 6 });
    // Region: 6 of 8 tokens symmetric from l10 (l10, then l11 below), then line-wise (l9 above);
    // context: 6 more line-wise, above first (l8, l12).
    expect(excerptOf(p.text)).toBe('```f\nl8\n<|editable_region_start|>\nl9\n<|user_cursor_is_here|>l10\nl11\n<|editable_region_end|>\nl12\n```');
    expect(p.region.text).toBe('l9\nl10\nl11');
  });

  it('shows the empty last row of a file ending with a newline when the context reaches it', () => {
    const p = zeta1Format.build({ path: 'f', text: 'a\nb\nc\n', cursor: 0, events: [] }, tok, { region: 2, near: 10 });
    expect(excerptOf(p.text)).toBe('```f\n<|start_of_file|>\n<|editable_region_start|>\n<|user_cursor_is_here|>a\nb\n<|editable_region_end|>\nc\n\n```');
  });

  it('keeps region and context within their budgets (line tokens, newlines not counted), no start_of_file later in a file', () => {
    const big = Array.from({ length: 200 }, (_, i) => `l${i}\n`).join('');
    const p = zeta1Format.build({ path: 'f', text: big, cursor: big.indexOf('l100'), events: [] }, tok, { near: 100, region: 40 });
    expect(p.text).not.toContain(Z.startOfFile);
    const { editable, context } = zeta1Ranges(big, big.indexOf('l100'), tok, { near: 100, region: 40 });
    const lineTokens = (s: string) => s.split('\n').filter((l) => l !== '').reduce((n, l) => n + l.length, 0);
    expect(lineTokens(big.slice(editable.from, editable.to))).toBeLessThanOrEqual(40);
    expect(lineTokens(big.slice(context.from, editable.from)) + lineTokens(big.slice(editable.to, context.to))).toBeLessThanOrEqual(100);
    expect(big.slice(editable.from, editable.to)).toContain('l100');
    expect(editable.from).toBeGreaterThan(context.from);
    expect(context.to).toBeGreaterThan(editable.to);
  });

  it('keeps the newest events within the history budget, joined by a blank line', () => {
    const ev = (n: number) => `--- a/f\n+++ b/f\n@@ -1 +1 @@\n-v${n}\n+v${n + 1}\n`;
    const shown = (n: number) => `User edited f:\n\`\`\`diff\n@@ -1 +1 @@\n-v${n}\n+v${n + 1}\n\n\`\`\``;
    const p = zeta1Format.build({ path: 'f', text: 'x\n', cursor: 0, events: [ev(1), ev(2), ev(3)] }, tok, {
      history: shown(2).length + shown(3).length,
    });
    expect(p.text).toContain(`### User Edits:\n\n${shown(2)}\n\n${shown(3)}\n\n### User Excerpt:`);
  });
});

describe('zeta1 parse', () => {
  const text = 'fn a() {\n    epr\n}\n';
  const req: PredictRequest = { path: 'src/lib.rs', text, cursor: text.indexOf('epr') + 3, events: [] };

  it('reads the region between the markers, less the newline before the end marker', () => {
    const p = zeta1Format.build(req, tok);
    const good = '```src/lib.rs\n<|start_of_file|>\n<|editable_region_start|>\nfn a() {\n    eprintln!();\n}\n\n<|editable_region_end|>';
    expect(zeta1Format.parse(good, p)).toEqual({ kind: 'edit', text: 'fn a() {\n    eprintln!();\n}\n' });
    expect(zeta1Format.parse('<|editable_region_start|>\n<|editable_region_end|>', p)).toEqual({ kind: 'edit', text: '' });
  });

  it('drops cursor markers the model repeats, as Zed does', () => {
    const p = zeta1Format.build(req, tok);
    const withCursor = '<|editable_region_start|>\nfn a() {\n    eprintln!();<|user_cursor_is_here|>\n}\n\n<|editable_region_end|>';
    expect(zeta1Format.parse(withCursor, p)).toEqual({ kind: 'edit', text: 'fn a() {\n    eprintln!();\n}\n' });
    expect(zeta1Format.partial!('<|editable_region_start|>\nfn a<|user_cursor_is_here|>(', p)).toEqual({ text: 'fn a(', from: 0 });
  });

  it('treats truncated or malformed output as no-edit', () => {
    const p = zeta1Format.build(req, tok);
    expect(zeta1Format.parse('<|editable_region_start|>\nfn a() {\n', p)).toEqual({ kind: 'no-edit' });
    expect(zeta1Format.parse('nothing useful', p)).toEqual({ kind: 'no-edit' });
    expect(zeta1Format.parse('<|editable_region_start|>\nx<|start_of_file|>\n<|editable_region_end|>', p)).toEqual({ kind: 'no-edit' });
  });

  it('frames a region without a final newline and gives it back without one', () => {
    const p = zeta1Format.build({ path: 'f', text: 'x = 1', cursor: 5, events: [] }, tok);
    expect(p.text).toContain('<|editable_region_start|>\nx = 1<|user_cursor_is_here|>\n<|editable_region_end|>\n```');
    expect(zeta1Format.parse('<|editable_region_start|>\nx = 2\n<|editable_region_end|>', p)).toEqual({ kind: 'edit', text: 'x = 2' });
  });

  it('target reproduces the excerpt head with the new region, or null outside it; unchanged is the draft', () => {
    const p = zeta1Format.build(req, tok);
    const after = text.replace('epr', 'eprintln!();');
    const t = zeta1Format.target(p, after)!;
    expect(t).toBe('```src/lib.rs\n<|start_of_file|>\n<|editable_region_start|>\n' + after + '\n' + Z.end);
    expect(zeta1Format.parse(t, p)).toEqual({ kind: 'edit', text: after });
    expect(tok.encode(zeta1Format.unchanged!(t, p)!)).toEqual(p.draft);
    const big = rows(400);
    const q = zeta1Format.build({ path: 'f', text: big, cursor: big.indexOf('l200'), events: [] }, tok);
    expect(zeta1Format.target(q, big.replace('l0\n', 'l00\n'))).toBeNull();
  });
});

describe('zeta1 build on a 100 KB line', () => {
  const { long, text, cursor } = longLineDocument();
  const events = [`--- a/m.js\n+++ b/m.js\n@@ -2 +2 @@\n-${long}\n+${long}x\n`, '--- a/m.js\n+++ b/m.js\n@@ -1 +1 @@\n-// hea\n+// head\n'];

  it('cuts the region and its context to their budgets around the cursor', () => {
    const p = zeta1Format.build({ path: 'm.js', text, cursor, events }, tok);
    const { region, near, history } = DEFAULT_ZETA1_BUDGET;
    const { editable, context } = zeta1Ranges(text, cursor, tok, DEFAULT_ZETA1_BUDGET);
    expect(editable.from).toBeLessThanOrEqual(cursor);
    expect(editable.to).toBeGreaterThanOrEqual(cursor);
    expect(editable.to - editable.from).toBeLessThanOrEqual(region);
    expect(editable.to - editable.from).toBeGreaterThan(region / 2);
    expect(context.from).toBeLessThan(editable.from);
    expect(context.to).toBeGreaterThan(editable.to);
    expect(context.to - context.from).toBeLessThanOrEqual(region + near);
    expect(p.tokens.length).toBeLessThanOrEqual(region + near + history + 400);
    expect(p.text).toContain('-// hea\n+// head\n');
    const after = text.slice(0, cursor) + 'b' + text.slice(cursor);
    expect(zeta1Format.parse(zeta1Format.target(p, after)!, p)).toEqual({ kind: 'edit', text: after.slice(editable.from, editable.to + 1) });
  });
});
