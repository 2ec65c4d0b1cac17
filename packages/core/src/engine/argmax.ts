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

/** Softmax probability of `token` in `row`: how sure the model is of its choice. */
export function probability(logits: Logits, row: number, token: number): number {
  const base = row * logits.vocabSize;
  let max = -Infinity;
  for (let i = 0; i < logits.vocabSize; i++) max = Math.max(max, logits.data[base + i]!);
  let sum = 0;
  for (let i = 0; i < logits.vocabSize; i++) sum += Math.exp(logits.data[base + i]! - max);
  return Math.exp(logits.data[base + token]! - max) / sum;
}
