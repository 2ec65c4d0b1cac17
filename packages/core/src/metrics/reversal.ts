import { charDistance } from './char-distance.js';

/**
 * Share of the prediction's changed characters (current -> predicted) that
 * walk back the user's last edit (lastBefore -> current). The undone part is
 * how much closer the prediction gets to `lastBefore` than `current` was, by
 * the triangle inequality on edit distance. 0 when nothing is predicted.
 */
export function reversalRatio(lastBefore: string, current: string, predicted: string | null): number {
  if (predicted === null) return 0;
  const changed = charDistance(current, predicted);
  if (changed === 0) return 0;
  const undone = (changed + charDistance(current, lastBefore) - charDistance(predicted, lastBefore)) / 2;
  return Math.min(1, Math.max(0, undone / changed));
}

/**
 * Share of a shown prediction's changed characters (original -> predicted)
 * still present once the user's edits settle (`final`). 1 when nothing changed.
 */
export function keptRate(original: string, predicted: string, final: string): number {
  const changed = charDistance(original, predicted);
  if (changed === 0) return 1;
  const kept = (changed + charDistance(original, final) - charDistance(predicted, final)) / 2;
  return Math.min(1, Math.max(0, kept / changed));
}
