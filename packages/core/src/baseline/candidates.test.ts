import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../history/diff.js';
import { applyEdits } from '../edits/index.js';
import type { PredictRequest } from '../types.js';
import { editCandidates } from './candidates.js';
import { RulePredictor } from './rule-predictor.js';

function request(before: string, now: string, cursor: number, extra: Partial<PredictRequest> = {}): PredictRequest {
  return { path: 'src/app.ts', text: now, cursor, events: [unifiedDiff('src/app.ts', before, now)], ...extra };
}

describe('editCandidates', () => {
  const before = 'const user = load();\nprint(user);\nsave(user);\nlog(user);\n';
  const now = before.replace('const user =', 'const account =');
  const cursor = now.indexOf('account') + 7;

  it('repeats the last substitution at every place it still fits, the next one first', () => {
    const c = editCandidates(request(before, now, cursor));
    expect(c.map((x) => applyEdits(now, x.edits))).toEqual([
      now.replace('print(user)', 'print(account)'),
      now.replace('save(user)', 'save(account)'),
      now.replace('log(user)', 'log(account)'),
    ]);
    expect(editCandidates(request(before, now, cursor), { max: 2 })).toHaveLength(2);
  });

  it('offers the same change in a related file as a cross-file candidate', () => {
    const other = { path: 'src/other.ts', text: 'import { user } from "./app";\n' };
    const c = editCandidates(request(before, now, cursor, { relatedFiles: [other] }));
    const cross = c.find((x) => x.path === 'src/other.ts')!;
    expect(applyEdits(other.text, cross.edits)).toBe('import { account } from "./app";\n');
  });

  it('repeats an insertion only where the neighbouring tokens match too', () => {
    // Adding an argument to one call must not be "repeated" into a declaration.
    const b = 'export interface Item {\n  qty: number;\n}\nadd(Item)\nadd(Item)\n';
    const n = b.replace('add(Item)\n', 'add(Item, 2)\n');
    const c = editCandidates(request(b, n, n.indexOf('2)') + 1));
    expect(c.map((x) => applyEdits(n, x.edits))).toEqual([n.replace('add(Item)\n', 'add(Item, 2)\n')]);
  });
});

describe('RulePredictor (no syntax-breaking guesses)', () => {
  it('does not extend a half-typed line onto the next one', async () => {
    const b = 'for (let i = 0; i\nconsole.log(i);\n';
    const n = 'for (let i = 0; i < \nconsole.log(i);\n';
    expect(await new RulePredictor().predict(request(b, n, n.indexOf('< ') + 2))).toBeNull();
  });
});

describe('editCandidates (renames that grow the name)', () => {
  it('repeats price -> unit_price at every use, whatever surrounds it', () => {
    const b = 'class P:\n    price: float\n\ndef total(ps):\n    return sum(p.price for p in ps)\n';
    const n = b.replace('    price: float', '    unit_price: float');
    const c = editCandidates(request(b, n, n.indexOf('unit_price') + 10));
    expect(c.map((x) => applyEdits(n, x.edits))).toEqual([n.replace('p.price', 'p.unit_price')]);
  });

  it('stops at max: the first places after the cursor, then from the top (issue 18 item 1)', () => {
    const uses = Array.from({ length: 200 }, (_, i) => `use${i}(user);\n`).join('');
    const b = uses + 'const user = 1;\n' + uses;
    const n = b.replace('const user =', 'const account =');
    const at = n.indexOf('account') + 7;
    const c = editCandidates(request(b, n, at), { max: 5 });
    const next: number[] = [];
    for (let p = n.indexOf('user', at); next.length < 5; p = n.indexOf('user', p + 1)) next.push(p);
    expect(c.map((x) => x.edits[0]!.from)).toEqual(next);
    // Past the end it wraps to the top.
    const tail = editCandidates(request(b, n, n.length - 12), { max: 3 });
    expect(tail.map((x) => x.edits[0]!.from)).toEqual([n.lastIndexOf('user'), n.indexOf('user'), n.indexOf('user', n.indexOf('user') + 1)]);
  });
});
