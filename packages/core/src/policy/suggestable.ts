// The suggestion policy: what no suggestion may be, whoever made it. It sits
// below every predictor so each applies it to what it answers (RulePredictor,
// ModelPredictor, and FallbackPredictor to whatever its two predictors answer);
// the editor shows what it is given.
import { reverseUnifiedDiff } from '../history/diff.js';
import { reversalRatio } from '../metrics/reversal.js';
import { applyEdits } from '../edits/index.js';
import type { PredictRequest, TextEdit } from '../types.js';

/**
 * True when the edits mostly undo the user's last edit (the last diff in
 * `request.events`, if it is for this file and still applies in reverse).
 */
export function isReversal(request: PredictRequest, edits: TextEdit[]): boolean {
  const last = request.events[request.events.length - 1];
  if (!last || edits.length === 0) return false;
  const lastBefore = reverseUnifiedDiff(request.text, last, request.path);
  if (lastBefore === undefined) return false;
  return reversalRatio(lastBefore, request.text, applyEdits(request.text, edits)) > 0.5;
}

/**
 * Whether `edits` to the file `path` (default: the request's own) may be
 * suggested: they change something and, in the request's file, do not undo the
 * user's last edit.
 */
export function isSuggestable(request: PredictRequest, edits: TextEdit[], path = request.path): boolean {
  return edits.length > 0 && (path !== request.path || !isReversal(request, edits));
}
