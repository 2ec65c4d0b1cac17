// The suggestion policy: what no suggestion may be, whoever made it. It sits
// below every predictor so each applies it to what it answers (RulePredictor,
// ModelPredictor, and FallbackPredictor to whatever its two predictors answer);
// the editor shows what it is given.
import { parseUnifiedDiff, reverseUnifiedDiff } from '../history/diff.js';
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
  const local = localReversal(request, last, edits);
  if (local !== null) return local;
  const lastBefore = reverseUnifiedDiff(request.text, last, request.path);
  if (lastBefore === undefined) return false;
  return reversalRatio(lastBefore, request.text, applyEdits(request.text, edits)) > 0.5;
}

/** Offset of the start of 0-based line `n` of `text` (its length when there are fewer lines). */
function lineStart(text: string, n: number): number {
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const nl = text.indexOf('\n', pos);
    if (nl === -1) return text.length;
    pos = nl + 1;
  }
  return pos;
}

/**
 * isReversal on the part of the text the last edit and the suggestion touch (issue 18 item 1:
 * character diffs of a whole 5 MB file took seconds): outside it the three texts are the same,
 * so the edit distances are. The hunk's new side is found at its line (or, cut from a long
 * line by the history, within that line). null: not a one-hunk diff for this file.
 */
function localReversal(request: PredictRequest, last: string, edits: TextEdit[]): boolean | null {
  let hunks;
  try {
    const parsed = parseUnifiedDiff(last);
    if (parsed.newPath !== request.path) return false;
    hunks = parsed.hunks;
  } catch {
    return false;
  }
  if (hunks.length !== 1) return null;
  const h = hunks[0]!;
  const text = request.text;
  const newText = h.newLines.join('');
  const oldText = h.oldLines.join('');
  const lineFrom = lineStart(text, h.newStart);
  const at = newText === '' ? lineFrom : text.indexOf(newText, lineFrom);
  const nl = text.indexOf('\n', lineFrom);
  if (at === -1 || at > (nl === -1 ? text.length : nl)) return false;
  const from = Math.min(at, edits[0]!.from);
  const to = Math.max(at + newText.length, edits[edits.length - 1]!.to);
  const current = text.slice(from, to);
  const lastBefore = text.slice(from, at) + oldText + text.slice(at + newText.length, to);
  const predicted = applyEdits(current, edits.map((e) => ({ from: e.from - from, to: e.to - from, insert: e.insert })));
  return reversalRatio(lastBefore, current, predicted) > 0.5;
}

/**
 * Whether `edits` to the file `path` (default: the request's own) may be
 * suggested: they change something and, in the request's file, do not undo the
 * user's last edit.
 */
export function isSuggestable(request: PredictRequest, edits: TextEdit[], path = request.path): boolean {
  return edits.length > 0 && (path !== request.path || !isReversal(request, edits));
}
