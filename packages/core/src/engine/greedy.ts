// The greedy pick of a logits row: the top token (argmax) and, in the same pass, its probability (greedyChoice).
import type { Logits } from '../types.js';

/** Index of the largest logit in `row` (lowest index on ties, NaN never wins). */
export function argmax(logits: Logits, row: number): number {
  if (row < 0 || row >= logits.rows) throw new RangeError(`argmax: row ${row} outside 0..${logits.rows - 1}`);
  const base = row * logits.vocabSize;
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < logits.vocabSize; i++) {
    const v = logits.data[base + i]!;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

/**
 * The greedy choice in `row` and its softmax probability (how sure the model
 * is of it), in one pass over the row: an online softmax rescales the running
 * sum whenever a larger logit turns up. Ties and NaN as `argmax`.
 */
export function greedyChoice(logits: Logits, row: number): { token: number; probability: number } {
  if (row < 0 || row >= logits.rows) throw new RangeError(`greedyChoice: row ${row} outside 0..${logits.rows - 1}`);
  const base = row * logits.vocabSize;
  let best = 0;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < logits.vocabSize; i++) {
    const v = logits.data[base + i]!;
    if (v > max) {
      sum = sum * Math.exp(max - v) + 1;
      max = v;
      best = i;
    } else if (v === v) sum += Math.exp(v - max);
  }
  return { token: best, probability: sum > 0 ? 1 / sum : 0 };
}
