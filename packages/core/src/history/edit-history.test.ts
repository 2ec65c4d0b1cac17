import { describe, expect, it } from 'vitest';
import { applyEdits } from '../edits/index.js';
import { EditHistory } from './edit-history.js';
import { applyUnifiedDiff } from './diff.js';

function setup(opts: { maxEvents?: number } = {}) {
  let t = 0;
  const h = new EditHistory({ ...opts, now: () => t });
  const docs = new Map<string, string>();
  const type = (path: string, at: number, text: string, dt = 100) => {
    t += dt;
    const before = docs.get(path) ?? '';
    h.record(path, before, [{ from: at, to: at, insert: text }]);
    docs.set(path, applyEdits(before, [{ from: at, to: at, insert: text }]));
  };
  const del = (path: string, from: number, to: number, dt = 100) => {
    t += dt;
    const before = docs.get(path)!;
    h.record(path, before, [{ from, to, insert: '' }]);
    docs.set(path, applyEdits(before, [{ from, to, insert: '' }]));
  };
  return { h, docs, type, del, tick: (dt: number) => (t += dt) };
}

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}\n`).join('');

describe('EditHistory', () => {
  it('coalesces keystrokes into one pending event', () => {
    const { h, docs, type } = setup();
    docs.set('a.ts', 'let x = ;\n');
    for (const [i, c] of [...'42'].entries()) type('a.ts', 8 + i, c);
    expect(h.settled()).toEqual([]);
    expect(applyUnifiedDiff('let x = ;\n', h.pending()!)).toBe('let x = 42;\n');
  });

  it('settles the pending event after coalesceMs', () => {
    const { h, docs, type, tick } = setup();
    docs.set('a.ts', 'x\n');
    type('a.ts', 1, 'y');
    tick(1001);
    expect(h.settled()).toHaveLength(1);
    expect(h.pending()).toBeUndefined();
    expect(applyUnifiedDiff('x\n', h.settled()[0]!)).toBe('xy\n');
  });

  it('starts a new event when the change is far away or slow', () => {
    const { h, docs, type } = setup();
    docs.set('a.ts', lines(30));
    type('a.ts', 0, 'A');
    type('a.ts', docs.get('a.ts')!.indexOf('line 20'), 'B');
    expect(h.settled()).toHaveLength(1);
    type('a.ts', docs.get('a.ts')!.indexOf('line 21'), 'C', 1500);
    expect(h.settled()).toHaveLength(2);
    expect(h.pending()).toContain('+Cline 21');
  });

  it('records an accepted suggestion as an event of its own, joined to neither neighbour', () => {
    const { h, docs, type, tick } = setup();
    docs.set('a.ts', 'let items;\nitems.push(1);\n');
    type('a.ts', 4, 'x');
    const before = docs.get('a.ts')!;
    tick(100);
    h.record('a.ts', before, [{ from: 12, to: 17, insert: 'goods' }], { accepted: true });
    docs.set('a.ts', applyEdits(before, [{ from: 12, to: 17, insert: 'goods' }]));
    type('a.ts', 0, '/');
    const events = h.settled();
    expect(events).toHaveLength(2);
    expect(applyUnifiedDiff('let items;\nitems.push(1);\n', events[0]!)).toBe('let xitems;\nitems.push(1);\n');
    expect(applyUnifiedDiff(before, events[1]!)).toBe('let xitems;\ngoods.push(1);\n');
    expect(h.pending()).toContain('+/let');
  });

  it('starts a new event on a file switch', () => {
    const { h, docs, type } = setup();
    docs.set('a.ts', 'a\n');
    docs.set('b.ts', 'b\n');
    type('a.ts', 0, '1');
    type('b.ts', 0, '2');
    expect(h.settled()).toEqual([expect.stringContaining('--- a/a.ts')]);
    expect(h.lastEvent()).toEqual({ path: 'b.ts', before: 'b\n', after: '2b\n' });
  });

  it('drops an event whose net effect is nothing', () => {
    const { h, docs, type, del, tick } = setup();
    docs.set('a.ts', 'abc\n');
    type('a.ts', 3, 'd');
    del('a.ts', 3, 4);
    tick(2000);
    expect(h.pending()).toBeUndefined();
    expect(h.settled()).toEqual([]);
    expect(h.lastEvent()).toBeUndefined();
  });

  it('keeps only the last maxEvents settled events', () => {
    const { h, docs, type } = setup({ maxEvents: 2 });
    docs.set('a.ts', lines(3));
    for (let i = 0; i < 4; i++) type('a.ts', 0, String(i), 2000);
    h.settle();
    const events = h.settled();
    expect(events).toHaveLength(2);
    expect(events[0]).toContain('+2');
    expect(events[1]).toContain('+3');
    h.clear();
    expect(h.settled()).toEqual([]);
  });
});
