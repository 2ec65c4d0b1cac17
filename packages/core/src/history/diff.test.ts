import { describe, expect, it } from 'vitest';
import { applyUnifiedDiff, parseUnifiedDiff, reverseUnifiedDiff, unifiedDiff, withoutContext } from './diff.js';

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

describe('withoutContext', () => {
  const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
  it('drops the context lines and keeps the change applying the same way', () => {
    const cases = [
      before.replace('d\n', 'D\n'), // a changed line
      before.replace('d\n', 'd\nnew\n'), // an insertion
      before.replace('d\ne\n', ''), // a deletion
      before.replace('h\n', 'h'), // the final newline removed
      'x\n' + before, // at the start
    ];
    for (const after of cases) {
      const d = unifiedDiff('f.ts', before, after);
      const z = withoutContext(d);
      expect(z.split('\n').filter((l) => l.startsWith(' '))).toEqual([]);
      expect(applyUnifiedDiff(before, z)).toBe(after);
    }
    expect(withoutContext(unifiedDiff('f.ts', before, before.replace('d\n', 'D\n')))).toBe('--- a/f.ts\n+++ b/f.ts\n@@ -4,1 +4,1 @@\n-d\n+D\n');
    expect(withoutContext(unifiedDiff('f.ts', before, before.replace('d\n', 'd\nnew\n')))).toBe('--- a/f.ts\n+++ b/f.ts\n@@ -4,0 +5,1 @@\n+new\n');
  });

  it('keeps later hunks of a many-hunk diff where they apply', () => {
    const d = '--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a\n+a2\n b\n@@ -6,2 +7,2 @@\n f\n-g\n+G\n';
    expect(withoutContext(d)).toBe('--- a/f\n+++ b/f\n@@ -1,0 +2,1 @@\n+a2\n@@ -7,1 +8,1 @@\n-g\n+G\n');
    expect(applyUnifiedDiff(before, withoutContext(d))).toBe(applyUnifiedDiff(before, d));
  });

  it('returns what it cannot parse unchanged', () => {
    expect(withoutContext('not a diff')).toBe('not a diff');
  });
});
