import { describe, expect, it } from 'vitest';
import { applyUnifiedDiff, parseUnifiedDiff, reverseUnifiedDiff, unifiedDiff } from './diff.js';

const cases: [string, string, string][] = [
  ['rename', 'a\nb\nfoo()\nc\nd\ne\nf\n', 'a\nb\nbar()\nc\nd\ne\nf\n'],
  ['crlf', 'one\r\ntwo\r\nthree\r\n', 'one\r\n2\r\nthree\r\nfour\r\n'],
  ['astral', 'x = "😀"\ny = 1\n', 'x = "😀🎉"\ny = 1\n'],
  ['no final newline', 'a\nb', 'a\nc'],
  ['add final newline', 'a\nb', 'a\nb\n'],
  ['from empty', '', 'hello\nworld'],
  ['to empty', 'hello\n', ''],
  ['two changes far apart', 'l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\n', 'L1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nL9\n'],
];

describe('unifiedDiff', () => {
  it.each(cases)('round-trips (%s)', (_, before, after) => {
    const diff = unifiedDiff('src/x.ts', before, after);
    expect(parseUnifiedDiff(diff).hunks).toHaveLength(1);
    expect(applyUnifiedDiff(before, diff)).toBe(after);
    expect(reverseUnifiedDiff(after, diff, 'src/x.ts')).toBe(before);
  });

  it('writes one hunk with context and line numbers', () => {
    expect(unifiedDiff('p.js', 'a\nb\nc\nd\ne\n', 'a\nb\nC\nd\ne\n', 1)).toBe(
      '--- a/p.js\n+++ b/p.js\n@@ -2,3 +2,3 @@\n b\n-c\n+C\n d\n',
    );
  });

  it('applies zero-context diffs as the eval cases store them', () => {
    const diff = '--- a/v.js\n+++ b/v.js\n@@ -2,0 +3,1 @@\n+new\n';
    expect(applyUnifiedDiff('a\nb\nc\n', diff)).toBe('a\nb\nnew\nc\n');
  });

  it('refuses a diff that does not match', () => {
    const diff = unifiedDiff('p', 'a\nb\n', 'a\nc\n');
    expect(() => applyUnifiedDiff('x\ny\n', diff)).toThrow();
    expect(reverseUnifiedDiff('a\nc\n', diff, 'other')).toBeUndefined();
  });
});
