import { charDistance } from './char-distance.js';

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * The three texts without the prefix and suffix all three share (never cutting a surrogate
 * pair). Edit distances between them are unchanged, and the character diffs run over what
 * differs, not over the whole document (issue 18 item 1: seconds on a 5 MB file).
 */
export function trimShared(a: string, b: string, c: string): [string, string, string] {
  const min = Math.min(a.length, b.length, c.length);
  // In blocks first: slices compare natively, a character loop over 5 MB took ~60 ms.
  let p = 0;
  for (let step = 65536; step >= 1; step >>= 4) {
    while (p + step <= min) {
      const x = a.slice(p, p + step);
      if (x !== b.slice(p, p + step) || x !== c.slice(p, p + step)) break;
      p += step;
    }
  }
  if (p > 0 && isHigh(a.charCodeAt(p - 1))) p--;
  let s = 0;
  for (let step = 65536; step >= 1; step >>= 4) {
    while (s + step <= min - p) {
      const x = a.slice(a.length - s - step, a.length - s);
      if (x !== b.slice(b.length - s - step, b.length - s) || x !== c.slice(c.length - s - step, c.length - s)) break;
      s += step;
    }
  }
  if (s > 0 && isLow(a.charCodeAt(a.length - s))) s--;
  return [a.slice(p, a.length - s), b.slice(p, b.length - s), c.slice(p, c.length - s)];
}

/**
 * Share of the prediction's changed characters (current -> predicted) that
 * walk back the user's last edit (lastBefore -> current). The undone part is
 * how much closer the prediction gets to `lastBefore` than `current` was, by
 * the triangle inequality on edit distance. 0 when nothing is predicted.
 */
export function reversalRatio(lastBefore: string, current: string, predicted: string | null): number {
  if (predicted === null) return 0;
  [lastBefore, current, predicted] = trimShared(lastBefore, current, predicted);
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
  [original, predicted, final] = trimShared(original, predicted, final);
  const changed = charDistance(original, predicted);
  if (changed === 0) return 1;
  const kept = (changed + charDistance(original, final) - charDistance(predicted, final)) / 2;
  return Math.min(1, Math.max(0, kept / changed));
}
