import { describe, expect, it } from 'vitest';
import { regionEdits } from './region-edits.js';
import type { TextEdit } from '../types.js';

function apply(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].reverse()) out = out.slice(0, e.from) + e.insert + out.slice(e.to);
  return out;
}

describe('regionEdits', () => {
  it('returns nothing for equal texts', () => {
    expect(regionEdits('abc\n', 'abc\n', 5)).toEqual([]);
  });

  it('trims the common prefix and suffix and applies the offset', () => {
    expect(regionEdits('let foo = 1;\n', 'let bar = 1;\n', 10)).toEqual([{ from: 14, to: 17, insert: 'bar' }]);
  });

  it('splits changes separated by unchanged lines', () => {
    const a = 'a = 1\nb = 2\nc = 3\nd = 4\n';
    const b = 'a = 10\nb = 2\nc = 3\nd = 40\n';
    const edits = regionEdits(a, b, 0);
    expect(edits).toEqual([
      { from: 5, to: 5, insert: '0' },
      { from: 23, to: 23, insert: '0' },
    ]);
    expect(apply(a, edits)).toBe(b);
  });

  it('handles pure insertions and deletions of lines', () => {
    const a = 'x\ny\n';
    expect(regionEdits(a, 'x\nnew\ny\n', 3)).toEqual([{ from: 5, to: 5, insert: 'new\n' }]);
    expect(regionEdits(a, 'x\n', 0)).toEqual([{ from: 2, to: 4, insert: '' }]);
  });

  it('never splits a surrogate pair', () => {
    // 😀 (D83D DE00) -> 😃 (D83D DE03) share the high surrogate
    const edits = regionEdits('a\u{1F600}b', 'a\u{1F603}b', 0);
    expect(edits).toEqual([{ from: 1, to: 3, insert: '\u{1F603}' }]);
  });

  it('never splits a CRLF', () => {
    // adding \n after an \r: the common prefix would end between \r and \n
    const edits = regionEdits('a\r\nb', 'a\r\n\nb', 0);
    for (const e of edits) {
      expect('a\r\nb'.charAt(e.from - 1) === '\r' && 'a\r\nb'.charAt(e.from) === '\n').toBe(false);
    }
    expect(apply('a\r\nb', edits)).toBe('a\r\n\nb');
    const crlf = regionEdits('x\r\ny\r\n', 'x\r\nz\r\n', 0);
    expect(crlf).toEqual([{ from: 3, to: 4, insert: 'z' }]);
  });
});
