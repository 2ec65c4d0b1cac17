import { afterEach, describe, expect, it, vi } from 'vitest';
import { Compartment, EditorSelection, EditorState, Transaction, type StateCommand, type TransactionSpec } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import type { EditPrediction, Predictor, TextEdit } from '@nextedit/core';
import { nextEditConfig } from '../src/config.js';
import { acceptNextEdit, acceptNextEditWord, dismissNextEdit, nextEditKeymap } from '../src/commands.js';
import { nextEdit } from '../src/index.js';
import { classify, currentSuggestion, rebaseTyped, rejectMemory, showSuggestion, statusField, suggestionField } from '../src/state.js';
import { nextEditStats, statsField } from '../src/stats.js';
import { adaptInterval } from '../src/plugin.js';

const stats = { latencyMs: 5, promptTokens: 0, cachedTokens: 0, forwardPasses: 0, generatedTokens: 0, draftProposed: 0, draftAccepted: 0 };
const pred = (edits: TextEdit[], extra: Partial<EditPrediction> = {}): EditPrediction => ({ edits, stats, ...extra });
const predictor: Predictor = { predict: async () => null };

/** A view stand-in: commands read `state` and dispatch transactions; tests dispatch specs too. */
type Editor = Parameters<StateCommand>[0] & { dispatch(tr: Transaction | TransactionSpec): void };
function editor(doc: string, cursor = doc.length): Editor {
  const t: Editor = {
    state: EditorState.create({
      doc, selection: EditorSelection.cursor(cursor),
      extensions: [nextEditConfig.of({ predictor }), suggestionField, rejectMemory, statusField, statsField],
    }),
    dispatch(tr) { t.state = (tr instanceof Transaction ? tr : t.state.update(tr)).state; },
  };
  return t;
}
const show = (t: Editor, p: EditPrediction, partial = false) => t.dispatch({ effects: showSuggestion.of({ prediction: p, partial }) });

describe('suggestion state', () => {
  afterEach(() => { vi.restoreAllMocks(); });
  it('drops a jump to another file when this document changes, without rebasing its edits (they are against that file)', () => {
    const t = editor('ab', 2);
    const edits = [{ from: 40, to: 45, insert: 'subtotal' }];
    show(t, pred(edits, { jump: { path: 'src/report.ts', pos: 40 } }));
    expect(classify(t.state, currentSuggestion(t.state)!)).toBe('file');
    t.dispatch({ changes: { from: 2, insert: 'c' } });
    expect(currentSuggestion(t.state)).toBeNull();
  });

  it('drops the suggestion at once when the user edits elsewhere (a change it did not predict)', () => {
    const t = editor('let a = 1;\nlet b = 2;\n', 0);
    show(t, pred([{ from: 15, to: 16, insert: 'c' }]));
    t.dispatch({ changes: { from: 0, insert: '// x\n' } });
    expect(currentSuggestion(t.state)).toBeNull();
    expect(acceptNextEdit(t)).toBe(false);
  });

  it('maps the other edits of a suggestion while the user types one of them through', () => {
    const t = editor('a b', 0);
    show(t, pred([{ from: 0, to: 0, insert: 'xy' }, { from: 2, to: 3, insert: 'B' }]));
    t.dispatch({ changes: { from: 0, insert: 'x' }, selection: EditorSelection.cursor(1) });
    expect(currentSuggestion(t.state)!.edits).toEqual([{ from: 1, to: 1, insert: 'y' }, { from: 3, to: 4, insert: 'B' }]);
  });

  it('drops the suggestion when the user edits inside its range', () => {
    const t = editor('let a = 1;\nlet b = 2;\n', 0);
    show(t, pred([{ from: 15, to: 16, insert: 'c' }]));
    t.dispatch({ changes: { from: 15, to: 16, insert: 'z' } });
    expect(currentSuggestion(t.state)).toBeNull();
  });

  it('shrinks ghost text when the user types its start, clears it when typed fully', () => {
    const t = editor('console.', 8);
    show(t, pred([{ from: 8, to: 8, insert: 'log(x)' }]));
    expect(classify(t.state, currentSuggestion(t.state)!)).toBe('ghost');
    t.dispatch({ changes: { from: 8, insert: 'lo' }, selection: EditorSelection.cursor(10) });
    expect(currentSuggestion(t.state)!.edits).toEqual([{ from: 10, to: 10, insert: 'g(x)' }]);
    t.dispatch({ changes: { from: 10, insert: 'q' }, selection: EditorSelection.cursor(11) });
    expect(currentSuggestion(t.state)).toBeNull();
  });

  it('rebases an answer for an older text only through typing it through (issue 18 item 8)', () => {
    // `quantity` renamed: the answer came for `q`, the user has typed `ty` since.
    const s0 = EditorState.create({ doc: 'let q = 1;\nuse(quantity);' });
    const rename = [{ from: 15, to: 23, insert: 'q' }];
    const typedOn = s0.update({ changes: { from: 5, insert: 'ty' } }).changes;
    expect(rebaseTyped(rename, typedOn)).toBeNull();
    const elsewhere = s0.update({ changes: { from: 0, insert: ' ' } }).changes;
    expect(rebaseTyped([{ from: 0, to: 3, insert: 'ABC' }], elsewhere)).toBeNull();
    const ghost = [{ from: 5, to: 5, insert: 'ty' }];
    expect(rebaseTyped(ghost, s0.update({ changes: { from: 5, insert: 't' } }).changes)).toEqual([{ from: 6, to: 6, insert: 'y' }]);
    expect(rebaseTyped(ghost, s0.update({ changes: { from: 5, insert: 'x' } }).changes)).toBeNull();
  });

  it('never re-offers a rejected suggestion for the same document', () => {
    const t = editor('foo', 3);
    const p = pred([{ from: 3, to: 3, insert: 'bar' }]);
    show(t, p);
    expect(dismissNextEdit(t)).toBe(true);
    show(t, p);
    expect(currentSuggestion(t.state)).toBeNull();
    expect(nextEditStats(t.state)).toMatchObject({ shown: 1, rejected: 1, acceptanceRate: 0 });
    // The same edit on a different document is a new suggestion.
    t.dispatch({ changes: { from: 0, insert: ' ' }, selection: EditorSelection.cursor(4) });
    show(t, pred([{ from: 4, to: 4, insert: 'bar' }]));
    expect(currentSuggestion(t.state)).not.toBeNull();
  });

  it('remembers a rejection of a rebased suggestion against the current document', () => {
    const t = editor('ab', 2);
    show(t, pred([{ from: 2, to: 2, insert: 'cd' }]));
    t.dispatch({ changes: { from: 2, insert: 'c' }, selection: EditorSelection.cursor(3) });
    expect(dismissNextEdit(t)).toBe(true);
    show(t, pred([{ from: 3, to: 3, insert: 'd' }]));
    expect(currentSuggestion(t.state)).toBeNull();
  });

  it('remembers a rejection through edits elsewhere (by its text and line, not its offset), for 30 s and 20 rejections (issue 15 item 10)', () => {
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    const t = editor('a\nlet x = 1;\n', 0);
    const rename = (at: number) => pred([{ from: at + 4, to: at + 5, insert: 'y' }]);
    show(t, rename(2));
    dismissNextEdit(t);
    t.dispatch({ changes: { from: 1, insert: 'bc' } }); // another line: every offset after it moves
    show(t, rename(4));
    expect(currentSuggestion(t.state)).toBeNull();
    t.dispatch({ changes: { from: 14, insert: ' ' } }); // its own line changed: a new suggestion
    show(t, rename(4));
    expect(currentSuggestion(t.state)).not.toBeNull();
    t.dispatch({ changes: { from: 14, to: 15 } });
    now += 29_000;
    show(t, rename(4));
    expect(currentSuggestion(t.state)).toBeNull();
    now += 2_000; // 31 s after the rejection
    show(t, rename(4));
    expect(currentSuggestion(t.state)).not.toBeNull();
    // 20 more rejections push it out.
    dismissNextEdit(t);
    for (let i = 0; i < 20; i++) { show(t, pred([{ from: 0, to: 0, insert: `z${i}` }])); dismissNextEdit(t); }
    show(t, rename(4));
    expect(currentSuggestion(t.state)).not.toBeNull();
  });

  it('lets a partial replace the shown suggestion only when it extends it', () => {
    const t = editor('x = ', 4);
    show(t, pred([{ from: 4, to: 4, insert: 'fo' }]), true);
    show(t, pred([{ from: 4, to: 4, insert: 'foo(' }]), true);
    expect(currentSuggestion(t.state)!.edits[0]!.insert).toBe('foo(');
    show(t, pred([{ from: 0, to: 1, insert: 'y' }]), true);
    expect(currentSuggestion(t.state)!.edits[0]!.insert).toBe('foo(');
  });
});

describe('commands', () => {
  it('Tab falls through when nothing is shown', () => {
    const t = editor('abc');
    expect(acceptNextEdit(t)).toBe(false);
    expect(dismissNextEdit(t)).toBe(false);
  });

  it('accepts in one input.complete transaction and moves the cursor to the end of the insertion', () => {
    const t = editor('let x = ', 8);
    show(t, pred([{ from: 8, to: 8, insert: '42;' }]));
    let userEvent: string | undefined;
    const dispatch = t.dispatch;
    t.dispatch = (tr) => { if (tr instanceof Transaction) userEvent = tr.annotation(Transaction.userEvent); dispatch(tr); };
    expect(acceptNextEdit(t)).toBe(true);
    expect(userEvent).toBe('input.complete');
    expect(t.state.doc.toString()).toBe('let x = 42;');
    expect(t.state.selection.main.head).toBe(11);
    expect(currentSuggestion(t.state)).toBeNull();
    expect(nextEditStats(t.state)).toMatchObject({ shown: 1, accepted: 1, acceptanceRate: 1 });
  });

  it('reports the kept rate of accepted edits against the current document', () => {
    const t = editor('let x = ', 8);
    show(t, pred([{ from: 8, to: 8, insert: '42;' }]));
    acceptNextEdit(t);
    const kept = nextEditStats(t.state).keptRate!;
    t.dispatch({ changes: { from: 8, to: 11, insert: '' } });
    expect(nextEditStats(t.state).keptRate!).toBeLessThan(kept);
  });

  it('jumps first for a far edit, then accepts', () => {
    const doc = 'a\n\n\n\n\nfoo = 1\n';
    const t = editor(doc, 0);
    show(t, pred([{ from: 6, to: 9, insert: 'bar' }]));
    expect(classify(t.state, currentSuggestion(t.state)!)).toBe('jump');
    expect(acceptNextEdit(t)).toBe(true);
    expect(t.state.doc.toString()).toBe(doc);
    expect(t.state.selection.main.head).toBe(6);
    expect(acceptNextEdit(t)).toBe(true);
    expect(t.state.doc.toString()).toBe('a\n\n\n\n\nbar = 1\n');
  });

  it('accepts ghost text word by word', () => {
    const t = editor('x', 1);
    show(t, pred([{ from: 1, to: 1, insert: ' = foo.bar' }]));
    expect(acceptNextEditWord(t)).toBe(true);
    expect(t.state.doc.toString()).toBe('x =');
    expect(currentSuggestion(t.state)!.edits[0]!.insert).toBe(' foo.bar');
  });
});

describe('config through the facet', () => {
  it('installs the keymap while the config says so: a config reconfigured on its own switches it', () => {
    const slot = new Compartment();
    const installed = (s: EditorState) => s.facet(keymap).includes(nextEditKeymap);
    let state = EditorState.create({ extensions: [nextEdit({ predictor }), slot.of([])] });
    expect(installed(state)).toBe(true);
    state = state.update({ effects: slot.reconfigure(nextEditConfig.of({ predictor, defaultKeymap: false })) }).state;
    expect(installed(state)).toBe(false);
    state = state.update({ effects: slot.reconfigure([]) }).state;
    expect(installed(state)).toBe(true);
  });
});

describe('adaptive throttle', () => {
  it('backs off x1.5 after rejects, speeds up x0.8 after accepts, within 50-3000 ms', () => {
    expect(adaptInterval(100, 'reject')).toBe(150);
    expect(adaptInterval(100, 'accept')).toBe(80);
    expect(adaptInterval(2500, 'reject')).toBe(3000);
    expect(adaptInterval(55, 'accept')).toBe(50);
  });
});
