import { ChangeSet, EditorState, StateEffect, StateField, type Text, type Transaction } from '@codemirror/state';
import { isJump, type EditPrediction, type PredictorStatus, type TextEdit } from '@nextedit/core';
import { nextEditConfig } from './config.js';

/** A prediction on screen, with edits against the current document. */
export interface Suggestion {
  prediction: EditPrediction;
  edits: TextEdit[];
  /** True after the first Tab of a jump moved the cursor to the edit. */
  jumped: boolean;
  partial: boolean;
  /** Identity for the reject memory (`suggestionKey`) when first shown. */
  key: string;
  /** The user has typed some of its text since it was shown (the only change it survives). */
  typed?: boolean;
}

export type SuggestionKind = 'ghost' | 'inline' | 'diff' | 'jump' | 'file';

export const showSuggestion = StateEffect.define<{ prediction: EditPrediction; partial: boolean }>();
export const clearSuggestion = StateEffect.define<'accept' | 'reject' | 'clear'>();
export const markJumped = StateEffect.define<null>();
/** A newer request found nothing: clear what is shown, unless the user is typing it through. */
export const answeredNull = StateEffect.define<null>();

function hash(s: string): string {
  // FNV-1a: the memory keeps short keys instead of whole documents.
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36) + ':' + s.length;
}

/** Context each side of an edit, within its line, that its identity includes. */
const KEY_CONTEXT = 200;

/**
 * Identity of a suggestion for the rejection memory: per edit, the text it replaces, what it
 * inserts, and the rest of its line (up to 200 chars each side), not its offset, so the same
 * edit offered again after typing elsewhere is known. Edits against another file (`path`) have
 * no context here: they are known by path and edits.
 */
export function suggestionKey(doc: Text, edits: readonly TextEdit[], path?: string): string {
  if (path !== undefined) return hash(path + '\u0000' + JSON.stringify(edits));
  return hash(edits.map((e) => {
    const start = Math.max(doc.lineAt(e.from).from, e.from - KEY_CONTEXT);
    const end = Math.min(doc.lineAt(e.to).to, e.to + KEY_CONTEXT);
    return [doc.sliceString(start, e.from), doc.sliceString(e.from, e.to), e.insert, doc.sliceString(e.to, end)].join('\u0001');
  }).join('\u0000'));
}

/** True when `next` only grows `prev` (same ranges, longer inserts): safe to swap without flicker. */
export function extendsPrediction(prev: readonly TextEdit[], next: readonly TextEdit[]): boolean {
  if (next.length < prev.length) return false;
  return prev.every((e, i) => {
    const n = next[i]!;
    return n.from === e.from && n.insert.startsWith(e.insert) && (n.to === e.to || (i === prev.length - 1 && n.to >= e.to));
  });
}

/**
 * Rebase edits computed for an older document through the changes made since, or null when
 * those changes are not what the edits predicted. The one predicted change is typing through:
 * inserting the start of a pending insertion at its place, which shrinks it. Anything else
 * (typing elsewhere, editing its range, retyping a rename differently) makes the edits stale:
 * a rename to `q` computed before the user went on to type `ty` must not be shown.
 */
export function rebaseTyped(edits: readonly TextEdit[], changes: ChangeSet): TextEdit[] | null {
  if (changes.empty) return edits.slice();
  const inserts = edits.map((e) => e.insert);
  let valid = true;
  changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
    const text = inserted.toString();
    const i = edits.findIndex((e, i) => fromA === toA && e.from === e.to && e.from === fromA && text !== '' && inserts[i]!.startsWith(text));
    if (i < 0) valid = false;
    else inserts[i] = inserts[i]!.slice(text.length);
  });
  if (!valid) return null;
  // assoc 1: text typed at a ghost's position lands before the remaining ghost.
  return edits
    .map((e, i) => ({ from: changes.mapPos(e.from, 1), to: Math.max(changes.mapPos(e.from, 1), changes.mapPos(e.to, -1)), insert: inserts[i]! }))
    .filter((e) => e.from !== e.to || e.insert.length > 0);
}

export function classify(state: EditorState, s: Suggestion): SuggestionKind {
  if (s.prediction.jump?.path) return 'file';
  const first = s.edits[0]!;
  const last = s.edits[s.edits.length - 1]!;
  const head = state.selection.main.head;
  const cursorLine = state.doc.lineAt(head).number;
  const firstLine = state.doc.lineAt(first.from).number;
  const lastLine = state.doc.lineAt(last.to).number;
  const near = !isJump(firstLine, cursorLine) || (head >= first.from && head <= last.to);
  if (!near && !s.jumped) return 'jump';
  if (s.edits.length === 1 && first.from === first.to && first.from === head) return 'ghost';
  const multiLine = lastLine > firstLine || s.edits.some((e) => e.insert.includes('\n'));
  return multiLine ? 'diff' : 'inline';
}

function applyEffects(value: Suggestion | null, tr: Transaction): Suggestion | null {
  for (const eff of tr.effects) {
    if (eff.is(showSuggestion)) {
      const { prediction, partial } = eff.value;
      if (prediction.edits.length === 0) continue;
      if (partial && value && !extendsPrediction(value.edits, prediction.edits)) continue;
      value = { prediction, edits: prediction.edits, jumped: false, partial, key: suggestionKey(tr.state.doc, prediction.edits, prediction.jump?.path) };
      if (wasRejected(tr.state, value.key)) value = null;
    } else if (eff.is(clearSuggestion)) value = null;
    else if (eff.is(answeredNull) && !value?.typed) value = null;
    else if (eff.is(markJumped) && value) value = { ...value, jumped: true };
  }
  return value;
}

export const suggestionField = StateField.define<Suggestion | null>({
  create: () => null,
  update(value, tr) {
    // The config is read live: turning suggestions off (a reconfigure) clears what is shown.
    if (!tr.state.facet(nextEditConfig).enabled) return null;
    // A read-only editor is offered nothing (one shown before it turned read-only goes: Tab would write).
    if (tr.state.readOnly) return null;
    if (value && tr.docChanged) {
      // A jump to another file has edits against that file: nothing typed here types them through.
      const edits = value.prediction.jump?.path ? null : rebaseTyped(value.edits, tr.changes);
      value = edits && edits.length ? { ...value, edits, typed: true } : null;
    }
    return applyEffects(value, tr);
  },
});

/** A dismissed suggestion: its identities (`suggestionKey`) and when (Date.now()). */
export interface Rejection { keys: readonly string[]; at: number }

/** The last 20 rejections within 30 s are not offered again: enough for a few keystrokes, bounded. */
export const REJECT_MEMORY = { size: 20, ms: 30_000 };

/** Recently rejected suggestions (`REJECT_MEMORY`), not offered again. */
export const rejectMemory = StateField.define<readonly Rejection[]>({
  create: () => [],
  update(list, tr) {
    for (const eff of tr.effects) {
      if (eff.is(clearSuggestion) && eff.value === 'reject') {
        const s = tr.startState.field(suggestionField, false);
        // Both identities: as first shown, and as rebased onto the document now.
        const keys = s ? [s.key, suggestionKey(tr.startState.doc, s.edits, s.prediction.jump?.path)] : [];
        if (s) list = [...list.slice(-(REJECT_MEMORY.size - 1)), { keys, at: Date.now() }];
      }
    }
    return list;
  },
});

export function wasRejected(state: EditorState, key: string): boolean {
  const now = Date.now();
  return (state.field(rejectMemory, false) ?? []).some((r) => now - r.at < REJECT_MEMORY.ms && r.keys.includes(key));
}

export const setStatus = StateEffect.define<{ status?: PredictorStatus; error?: string; inFlight?: boolean }>();

export interface NextEditStatus {
  predictor: PredictorStatus;
  /** Last predictor error (a rejected predict call); editing carries on. */
  lastError?: string;
  inFlight: boolean;
}

export const statusField = StateField.define<NextEditStatus>({
  create: () => ({ predictor: { state: 'ready' }, inFlight: false }),
  update(value, tr) {
    for (const eff of tr.effects) {
      if (!eff.is(setStatus)) continue;
      const v = eff.value;
      value = {
        predictor: v.status ?? value.predictor,
        lastError: v.error !== undefined ? v.error : value.lastError,
        inFlight: v.inFlight ?? value.inFlight,
      };
    }
    return value;
  },
});

export function nextEditStatus(state: EditorState): NextEditStatus | undefined {
  return state.field(statusField, false);
}

export function currentSuggestion(state: EditorState): Suggestion | null {
  return state.field(suggestionField, false) ?? null;
}
