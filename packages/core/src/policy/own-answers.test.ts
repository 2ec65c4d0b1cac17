import { describe, expect, it } from 'vitest';
import type { PredictRequest } from '../types.js';
import { isLineCompletion, ownAnswerAllowed } from './own-answers.js';

const text = 'const a = foo(\nconst b = 2;\n';
const request: PredictRequest = { path: 'a.ts', text, cursor: text.indexOf('(') + 1, events: [] };
const at = request.cursor;

describe('isLineCompletion', () => {
  it('is one insertion at the cursor without a line break', () => {
    expect(isLineCompletion(request, [{ from: at, to: at, insert: 'x, y);' }])).toBe(true);
  });

  it('is an insertion the diff placed past the cursor that is the same document', () => {
    const t = 'x = f()\n';
    const r: PredictRequest = { path: 'a.py', text: t, cursor: t.indexOf('(') + 1, events: [] };
    // f(|) -> f().g(): the minimal diff inserts `.g()` after the `)`; the same as `).g(` at the cursor.
    expect(isLineCompletion(r, [{ from: r.cursor + 1, to: r.cursor + 1, insert: '.g()' }])).toBe(true);
    expect(isLineCompletion(r, [{ from: r.cursor + 1, to: r.cursor + 1, insert: '.g()\n' }])).toBe(false);
  });

  it('is not an insertion elsewhere, a replacement, several edits, a line break or nothing', () => {
    expect(isLineCompletion(request, [{ from: at + 1, to: at + 1, insert: 'x' }])).toBe(false);
    expect(isLineCompletion(request, [{ from: at - 1, to: at, insert: '[' }])).toBe(false);
    expect(isLineCompletion(request, [{ from: at, to: at, insert: 'x' }, { from: at + 5, to: at + 5, insert: 'y' }])).toBe(false);
    expect(isLineCompletion(request, [{ from: at, to: at, insert: 'x);\nfoo(' }])).toBe(false);
    expect(isLineCompletion(request, [{ from: at, to: at, insert: 'x);\r' }])).toBe(false);
    expect(isLineCompletion(request, [{ from: at, to: at, insert: '' }])).toBe(false);
    expect(isLineCompletion(request, [])).toBe(false);
  });
});

describe('ownAnswerAllowed', () => {
  const rewrite = [{ from: text.indexOf('2'), to: text.indexOf('2') + 1, insert: '3' }];
  it('lets every edit through under `any`, only line completions (and no edit) under `line-completion`', () => {
    expect(ownAnswerAllowed('line-completion', request, [])).toBe(true);
    expect(ownAnswerAllowed('any', request, rewrite)).toBe(true);
    expect(ownAnswerAllowed('line-completion', request, rewrite)).toBe(false);
    expect(ownAnswerAllowed('line-completion', request, [{ from: at, to: at, insert: 'x);' }])).toBe(true);
  });
});
