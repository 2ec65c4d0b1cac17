import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../history/diff.js';
import type { PredictRequest } from '../types.js';
import { applyEdits } from '../edits/index.js';
import { isReversal, isSuggestable } from './suggestable.js';

describe('applyEdits', () => {
  it('applies sorted edits with offsets against the original', () => {
    expect(applyEdits('hello world', [
      { from: 0, to: 5, insert: 'HELLO' },
      { from: 6, to: 6, insert: 'big ' },
      { from: 11, to: 11, insert: '!' },
    ])).toBe('HELLO big world!');
    expect(applyEdits('abc', [])).toBe('abc');
  });
});

describe('isReversal', () => {
  const before = 'const foo = 1;\nuse(foo);\n';
  const text = 'const fooBar = 1;\nuse(foo);\n';
  const request: PredictRequest = {
    path: 'a.ts',
    text,
    cursor: 12,
    events: [unifiedDiff('a.ts', before, text)],
  };
  it('flags edits that undo the last event', () => {
    expect(isReversal(request, [{ from: 9, to: 12, insert: '' }])).toBe(true);
  });
  it('lets the repeated change through', () => {
    const at = text.indexOf('foo)');
    expect(isReversal(request, [{ from: at + 3, to: at + 3, insert: 'Bar' }])).toBe(false);
  });
  it('is false with no events or an event for another file', () => {
    expect(isReversal({ ...request, events: [] }, [{ from: 9, to: 12, insert: '' }])).toBe(false);
    const other = { ...request, events: [unifiedDiff('b.ts', before, text)] };
    expect(isReversal(other, [{ from: 9, to: 12, insert: '' }])).toBe(false);
  });
});

describe('isSuggestable', () => {
  const before = 'const foo = 1;\nuse(foo);\n';
  const text = 'const fooBar = 1;\nuse(foo);\n';
  const request: PredictRequest = { path: 'a.ts', text, cursor: 12, events: [unifiedDiff('a.ts', before, text)] };
  it('refuses no edits and edits that undo the last event', () => {
    expect(isSuggestable(request, [])).toBe(false);
    expect(isSuggestable(request, [{ from: 9, to: 12, insert: '' }])).toBe(false);
    const at = text.indexOf('foo)');
    expect(isSuggestable(request, [{ from: at + 3, to: at + 3, insert: 'Bar' }])).toBe(true);
  });
  it('checks edits for another file against nothing of this one', () => {
    expect(isSuggestable(request, [{ from: 9, to: 12, insert: '' }], 'b.ts')).toBe(true);
    expect(isSuggestable(request, [], 'b.ts')).toBe(false);
  });
});
