// Which of a model's own answers may be shown. Calibrated per model: on held-out
// cases a small student is exactly right only when it finishes the line being
// typed (models/nextedit-student/README.md), so its other answers are held back
// and the candidates it verifies answer for the other kinds of edit.
import { applyEdits } from '../edits/index.js';
import type { PredictRequest, TextEdit } from '../types.js';

/** `any`: every own answer may be shown; `line-completion`: only one that finishes the cursor's line. */
export type OwnAnswers = 'any' | 'line-completion';

export const OWN_ANSWERS: readonly OwnAnswers[] = ['any', 'line-completion'];

/**
 * The edits make the document the old one with text inserted at the cursor, without a
 * line break: the rest of the line being typed. Judged on the documents, not the edits'
 * offsets: a minimal diff may place the insertion past the cursor (completing `f(|)` to
 * `f().g()` inserts `.g()` after the `)`).
 */
export function isLineCompletion(request: PredictRequest, edits: readonly TextEdit[]): boolean {
  if (edits.length === 0) return false;
  const { text, cursor } = request;
  const after = applyEdits(text, [...edits]);
  const inserted = after.length - text.length;
  if (inserted <= 0 || !after.startsWith(text.slice(0, cursor)) || !after.endsWith(text.slice(cursor))) return false;
  return !/[\r\n]/.test(after.slice(cursor, cursor + inserted));
}

/** May an own answer with these edits be shown under `ownAnswers`? No edits (no-edit) always may: it shows nothing. */
export function ownAnswerAllowed(ownAnswers: OwnAnswers, request: PredictRequest, edits: readonly TextEdit[]): boolean {
  return ownAnswers === 'any' || edits.length === 0 || isLineCompletion(request, edits);
}
