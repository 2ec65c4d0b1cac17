// Where a suggestion sits relative to the cursor, and where the cursor goes
// after accepting it: one rule for every predictor and the editor.
import type { TextEdit } from '../types.js';

/** A first edit more than this many lines from the cursor's line is a jump. */
export const JUMP_LINES = 2;

/** 0-based line number of `pos` in `text`. */
export function lineNumberAt(text: string, pos: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** True when an edit starting on `editLine` is far enough from `cursorLine` to show as a jump. */
export function isJump(editLine: number, cursorLine: number): boolean {
  return Math.abs(editLine - cursorLine) > JUMP_LINES;
}

/** Cursor after accepting sorted edits: the end of the last one, in the edited document. */
export function cursorAfter(edits: TextEdit[]): number {
  let shift = 0;
  for (const e of edits.slice(0, -1)) shift += e.insert.length - (e.to - e.from);
  const last = edits[edits.length - 1]!;
  return last.from + shift + last.insert.length;
}

/** Edits with where to put the cursor and, for a far first edit, the jump target. */
export function placeEdits(text: string, cursor: number, edits: TextEdit[]): { edits: TextEdit[]; cursor: number; jump?: { pos: number } } {
  const far = isJump(lineNumberAt(text, edits[0]!.from), lineNumberAt(text, cursor));
  return { edits, cursor: cursorAfter(edits), ...(far ? { jump: { pos: edits[0]!.from } } : {}) };
}
