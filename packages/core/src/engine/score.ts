// Scoring fixed answers: how likely the model finds each candidate answer
// after one prompt. Discriminating among a few answers made without a model
// is easier for a small model than writing the answer itself.
import type { AbortSignalLike, Logits } from '../types.js';
import type { NextPosition } from '../prompt/positions.js';
import { throwIfAborted } from '../abort.js';
import type { PrefixCache } from './prefix-cache.js';

export interface CandidateScore {
  /** Sum of the log-probabilities of the answer's tokens. */
  logProbability: number;
  /** The lowest probability of any of its tokens. */
  minProbability: number;
  /** Its first token's probability (for block formats: the model's belief in where the edit is). */
  firstProbability: number;
}

export interface ScoreOptions {
  positions?: number[];
  nextPosition?: NextPosition;
  signal?: AbortSignalLike;
}

/** log softmax of `token` in `row`. */
export function logProbabilityOf(logits: Logits, row: number, token: number): number {
  const base = row * logits.vocabSize;
  let max = -Infinity;
  for (let i = 0; i < logits.vocabSize; i++) max = Math.max(max, logits.data[base + i]!);
  let sum = 0;
  for (let i = 0; i < logits.vocabSize; i++) sum += Math.exp(logits.data[base + i]! - max);
  return logits.data[base + token]! - max - Math.log(sum);
}

/**
 * Each candidate's probability after `prompt`: the prompt is prefilled once
 * (from the cache), then each candidate costs one forward pass over its tokens
 * (all but the last, whose probability the row before gives), and the cache is
 * rolled back to the prompt after each, so it ends exactly as after prefill.
 */
export async function scoreCandidates(
  cache: PrefixCache,
  prompt: number[],
  candidates: number[][],
  opts: ScoreOptions = {},
): Promise<{ scores: CandidateScore[]; forwardPasses: number; cachedTokens: number }> {
  const pre = await cache.prefill(prompt, opts.signal, opts.positions);
  const first: Logits = { data: pre.last, rows: 1, vocabSize: pre.last.length };
  let passes = pre.forwardPasses;
  const scores: CandidateScore[] = [];
  for (const candidate of candidates) {
    if (candidate.length === 0) throw new Error('scoreCandidates: empty candidate');
    throwIfAborted(opts.signal);
    const lp = [logProbabilityOf(first, 0, candidate[0]!)];
    if (candidate.length > 1) {
      const fed = candidate.slice(0, -1);
      const logits = await cache.append(fed, opts.signal, cache.placeNext(fed, opts.nextPosition));
      passes++;
      for (let i = 1; i < candidate.length; i++) lp.push(logProbabilityOf(logits, i - 1, candidate[i]!));
      await cache.truncate(prompt.length);
    }
    scores.push({
      logProbability: lp.reduce((a, b) => a + b, 0),
      minProbability: Math.min(...lp.map(Math.exp)),
      firstProbability: Math.exp(lp[0]!),
    });
  }
  return { scores, forwardPasses: passes, cachedTokens: pre.cachedTokens };
}
