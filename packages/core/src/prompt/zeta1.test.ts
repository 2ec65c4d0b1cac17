import { describe, expect, it } from 'vitest';
import { CharTokenizer } from '../testing/char-tokenizer.js';
import { zeta1Format, ZETA1_TOKENS as Z } from './zeta1.js';
import type { PredictRequest } from '../types.js';

const tok = new CharTokenizer(zeta1Format.specialTokens);
const INSTRUCTION =
  'You are a code completion assistant and your task is to analyze user edits and then rewrite an excerpt that the user provides, suggesting the appropriate edits within the excerpt, taking into account the cursor location.';

describe('zeta1 build', () => {
  const text = 'fn a() {\n    epr\n}\n';
  const req: PredictRequest = {
    path: 'src/lib.rs',
    text,
    cursor: text.indexOf('epr') + 3,
    events: ['--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1,2 +1,3 @@\n fn a() {\n+    epr\n }\n'],
  };

  it('matches the Zeta1 layout (golden)', () => {
    const p = zeta1Format.build(req, tok);
    expect(p.text).toBe(
      `### Instruction:\n${INSTRUCTION}\n\n` +
        '### User Edits:\n\nUser edited src/lib.rs:\n```diff\n@@ -1,2 +1,3 @@\n fn a() {\n+    epr\n }\n```\n\n' +
        '### User Excerpt:\n\n```src/lib.rs\n<|start_of_file|>\n<|editable_region_start|>\n' +
        'fn a() {\n    epr<|user_cursor_is_here|>\n}\n<|editable_region_end|>\n```\n\n### Response:\n',
    );
    expect(tok.decode(p.tokens)).toBe(p.text);
    expect(tok.decode(p.draft)).toBe('```src/lib.rs\n<|start_of_file|>\n<|editable_region_start|>\n' + text + Z.end);
    expect(p.stopTokenIds).toEqual([tok.tokenId(Z.end), tok.tokenId(Z.eos)]);
  });

  it('shows context before and after the region without start_of_file when the excerpt starts later', () => {
    const big = Array.from({ length: 200 }, (_, i) => `l${i}\n`).join('');
    const p = zeta1Format.build({ path: 'f', text: big, cursor: big.indexOf('l100'), events: [] }, tok, { near: 100, region: 40 });
    expect(p.text).not.toContain(Z.startOfFile);
    const excerpt = p.text.slice(p.text.indexOf('```f\n') + 5, p.text.lastIndexOf('```'));
    const before = excerpt.slice(0, excerpt.indexOf(Z.start));
    const after = excerpt.slice(excerpt.indexOf(Z.end) + Z.end.length + 1);
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    expect(tok.encode(before).length + tok.encode(after).length).toBeLessThanOrEqual(100);
    expect(tok.encode(p.region.text).length).toBeLessThanOrEqual(40);
  });

  it('parses the region between the markers and rejects malformed output', () => {
    const p = zeta1Format.build(req, tok);
    const good = '```src/lib.rs\n<|start_of_file|>\n<|editable_region_start|>\nfn a() {\n    eprintln!();\n}\n<|editable_region_end|>';
    expect(zeta1Format.parse(good, p)).toEqual({ kind: 'edit', text: 'fn a() {\n    eprintln!();\n}\n' });
    expect(zeta1Format.parse(good.replace(Z.end, ''), p)).toEqual({ kind: 'no-edit' });
    expect(zeta1Format.parse(good.replace('eprintln', Z.cursor), p)).toEqual({ kind: 'no-edit' });
    expect(zeta1Format.parse('nothing useful', p)).toEqual({ kind: 'no-edit' });
  });

  it('frames a region without a final newline and strips that newline again', () => {
    const p = zeta1Format.build({ path: 'f', text: 'x = 1', cursor: 5, events: [] }, tok);
    expect(p.text).toContain('<|editable_region_start|>\nx = 1<|user_cursor_is_here|>\n<|editable_region_end|>\n```');
    expect(zeta1Format.parse('<|editable_region_start|>\nx = 2\n<|editable_region_end|>', p)).toEqual({ kind: 'edit', text: 'x = 2' });
  });

  it('target reproduces the excerpt head with the new region, or null outside it', () => {
    const p = zeta1Format.build(req, tok);
    const after = text.replace('epr', 'eprintln!();');
    const t = zeta1Format.target(p, after)!;
    expect(t).toBe('```src/lib.rs\n<|start_of_file|>\n<|editable_region_start|>\n' + after + Z.end);
    expect(zeta1Format.parse(t, p)).toEqual({ kind: 'edit', text: after });
    const big = Array.from({ length: 40 }, (_, i) => `l${i}\n`).join('');
    const q = zeta1Format.build({ path: 'f', text: big, cursor: big.indexOf('l20'), events: [] }, tok);
    expect(zeta1Format.target(q, big.replace('l0\n', 'l00\n'))).toBeNull();
  });
});
