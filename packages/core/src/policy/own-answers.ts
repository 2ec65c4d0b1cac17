// Which of a model's own answers may be shown. Calibrated per model: on held-out
// cases a small student is exactly right only when it finishes the line being
// typed (models/nextedit-student/README.md), so its rewrites are held back and
// only the candidates it verifies speak for the other kinds of edit.
import type { PredictRequest, TextEdit } from '../types.js';

/** `any`: every own answer may be shown; `line-completion`: only one that finishes the cursor's line. */
export type OwnAnswers = 'any' | 'line-completion';

export const OWN_ANSWERS: readonly OwnAnswers[] = ['any', 'line-completion'];

/** The edits insert text at the cursor and nowhere else, without a line break: the rest of the line being typed. */
export function isLineCompletion(request: PredictRequest, edits: readonly TextEdit[]): boolean {
  if (edits.length !== 1) return false;
  const [e] = edits as [TextEdit];
  return e.from === request.cursor && e.to === request.cursor && e.insert.length > 0 && !/[\r\n]/.test(e.insert);
}

/** May an own answer with these edits be shown under `ownAnswers`? */
export function ownAnswerAllowed(ownAnswers: OwnAnswers, request: PredictRequest, edits: readonly TextEdit[]): boolean {
  return ownAnswers === 'any' || isLineCompletion(request, edits);
}
