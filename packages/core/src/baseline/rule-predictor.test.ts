import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../history/diff.js';
import { applyEdits } from '../edits/index.js';
import type { PredictRequest } from '../types.js';
import { historyDraft } from './candidates.js';
import { RulePredictor } from './rule-predictor.js';

function request(before: string, now: string, cursor: number): PredictRequest {
  return { path: 'src/app.ts', text: now, cursor, events: [unifiedDiff('src/app.ts', before, now)] };
}

describe('RulePredictor', () => {
  const p = new RulePredictor();

  it('repeats a rename at the next occurrence, skipping longer identifiers', async () => {
    const before = 'const user = load();\nconst userName = 1;\nprint(user);\nsave(user);\n';
    const now = before.replace('const user =', 'const account =');
    const pred = await p.predict(request(before, now, now.indexOf('account') + 7));
    expect(pred).not.toBeNull();
    expect(applyEdits(now, pred!.edits)).toBe(now.replace('print(user)', 'print(account)'));
    expect(pred!.stats.backend).toBe('rules');
    expect(pred!.jump).toBeUndefined();
  });

  it('repeats an inserted argument and marks a far target as a jump', async () => {
    const before = 'log(msg)\n' + '\n'.repeat(5) + 'log(msg)\n';
    const now = 'log(msg, level)\n' + '\n'.repeat(5) + 'log(msg)\n';
    const pred = await p.predict(request(before, now, 14));
    expect(applyEdits(now, pred!.edits)).toBe('log(msg, level)\n' + '\n'.repeat(5) + 'log(msg, level)\n');
    expect(pred!.jump).toEqual({ pos: pred!.edits[0]!.from });
  });

  it('wraps around to before the cursor', async () => {
    const before = 'a.oldName();\nb.oldName();\n';
    const now = 'a.oldName();\nb.newName();\n';
    const draft = historyDraft(request(before, now, now.length));
    expect(draft).toEqual({ pos: 2, edit: { from: 2, to: 9, insert: 'newName' } });
  });

  it('follows a rename finished in this file into a related file that still has the old name', async () => {
    const before = 'const total = sum(items);\nreturn total;\n';
    const now = 'const subtotal = sum(items);\nreturn subtotal;\n';
    const other = { path: 'src/report.ts', text: 'import { x } from "./a";\nprint(total, totalCount);\n' };
    const req = { ...request(before.replace('const total', 'const subtotal'), now, now.length), relatedFiles: [other] };
    const pred = await p.predict(req);
    expect(pred?.jump).toEqual({ path: 'src/report.ts', pos: other.text.indexOf('total,') });
    expect(applyEdits(other.text, pred!.edits)).toBe(other.text.replace('total,', 'subtotal,'));
    expect(pred!.stats.madeBy).toBe('rules');
    // Not for a change that is no rename (an inserted argument), and not while this file still has a place.
    const arg = request('f(a);\n', 'f(a, b);\n', 7);
    expect(await p.predict({ ...arg, relatedFiles: [{ path: 'src/x.ts', text: 'f(a);\n' }] })).toBeNull();
    const half = { ...request(before, before.replace('const total', 'const subtotal'), 14), relatedFiles: [other] };
    expect((await p.predict(half))?.jump).toBeUndefined();
  });

  it('returns null when the old text no longer stands anywhere', async () => {
    const before = 'x = foo\n';
    const now = 'x = bar\n';
    expect(await p.predict(request(before, now, 7))).toBeNull();
    expect(await p.predict({ path: 'a', text: 'x', cursor: 0, events: [] })).toBeNull();
  });
});
