import { describe, expect, it } from 'vitest';
import { deltaChrF, exactLines, keptRate, percentile, reversalRatio } from './index.js';

const orig = 'function add(a, b) {\n  return a + b;\n}\n';
const expected = 'function add(a, b, c) {\n  return a + b + c;\n}\n';

describe('deltaChrF', () => {
  it('is 100 for the exact change and when nothing changed', () => {
    expect(deltaChrF(orig, expected, expected)).toBe(100);
    expect(deltaChrF(orig, orig, orig)).toBe(100);
    expect(deltaChrF(orig, orig, null)).toBe(100);
  });
  it('is 0 for no prediction when a change was expected, and for a spurious one', () => {
    expect(deltaChrF(orig, expected, null)).toBe(0);
    expect(deltaChrF(orig, orig, expected)).toBe(0);
  });
  it('gives partial credit to a partial change', () => {
    const partial = 'function add(a, b, c) {\n  return a + b;\n}\n';
    const wrong = 'function sub(a, b) {\n  return a - b;\n}\n';
    const score = deltaChrF(orig, expected, partial);
    expect(score).toBeGreaterThan(30);
    expect(score).toBeLessThan(100);
    expect(deltaChrF(orig, expected, wrong)).toBeLessThan(score);
  });
  it('ignores whitespace-only differences', () => {
    expect(deltaChrF(orig, orig, orig.replace('  return', '\treturn'))).toBe(100);
  });
});

describe('exactLines', () => {
  it('counts changed lines as bags', () => {
    expect(exactLines(orig, expected, expected)).toEqual({ tp: 4, fp: 0, fn: 0 });
    expect(exactLines(orig, expected, null)).toEqual({ tp: 0, fp: 0, fn: 4 });
    const partial = 'function add(a, b, c) {\n  return a + b;\n}\n';
    expect(exactLines(orig, expected, partial)).toEqual({ tp: 2, fp: 0, fn: 2 });
    expect(exactLines(orig, orig, expected)).toEqual({ tp: 0, fp: 4, fn: 0 });
  });
});

describe('reversalRatio', () => {
  const lastBefore = 'const foo = 1;\n';
  const current = 'const fooBar = 1;\n';
  it('is 1 when the prediction restores the text before the last edit', () => {
    expect(reversalRatio(lastBefore, current, lastBefore)).toBe(1);
  });
  it('is 0 for an unrelated change or no prediction', () => {
    expect(reversalRatio(lastBefore, current, 'const fooBar = 2;\n')).toBe(0);
    expect(reversalRatio(lastBefore, current, null)).toBe(0);
    expect(reversalRatio(lastBefore, current, current)).toBe(0);
  });
  it('is partial when only part of the change is undone', () => {
    const r = reversalRatio(lastBefore, current, 'const foo = 2;\n');
    expect(r).toBeGreaterThan(0.5);
    expect(r).toBeLessThan(1);
  });
});

describe('keptRate', () => {
  it('measures how much of the shown change survives', () => {
    const predicted = 'const fooBar = 1;\n';
    expect(keptRate('const foo = 1;\n', predicted, predicted)).toBe(1);
    expect(keptRate('const foo = 1;\n', predicted, 'const foo = 1;\n')).toBe(0);
    const k = keptRate('const foo = 1;\n', predicted, 'const fooB = 1;\n');
    expect(k).toBeCloseTo(1 / 3);
    expect(keptRate('x', 'x', 'y')).toBe(1);
  });
});

describe('percentile', () => {
  it('picks nearest-rank values', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([], 50)).toBe(0);
  });
});
