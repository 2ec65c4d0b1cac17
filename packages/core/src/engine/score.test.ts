import { describe, expect, it } from 'vitest';
import { FakeLM, hashRule } from '../testing/fake-models.js';
import { PrefixCache } from './prefix-cache.js';
import { logProbabilityOf, scoreCandidates } from './score.js';

const V = 50;

describe('scoreCandidates', () => {
  it('equals the sum of per-token log-probabilities from plain forward passes, one pass per candidate', async () => {
    const prompt = [3, 1, 4, 1, 5, 9, 2, 6];
    const candidates = [[7, 8, 9], [1], [2, 2, 2, 2, 2]];
    const lm = new FakeLM(V, hashRule(V));
    const cache = new PrefixCache(lm);
    await cache.prefill(prompt);
    const before = lm.forwards;
    const { scores, forwardPasses } = await scoreCandidates(cache, prompt, candidates);
    // One pass re-reads the cached prompt's last row, then one per candidate longer than a token.
    expect(lm.forwards - before).toBe(forwardPasses);
    expect(forwardPasses).toBe(1 + 2);

    for (const [i, cand] of candidates.entries()) {
      // Reference: a fresh model, the whole sequence in one uncached forward.
      const ref = new FakeLM(V, hashRule(V));
      const logits = await ref.forward([...prompt, ...cand]);
      let sum = 0;
      let min = 1;
      for (let j = 0; j < cand.length; j++) {
        const lp = logProbabilityOf(logits, prompt.length - 1 + j, cand[j]!);
        sum += lp;
        min = Math.min(min, Math.exp(lp));
      }
      expect(scores[i]!.logProbability).toBeCloseTo(sum, 5);
      expect(scores[i]!.minProbability).toBeCloseTo(min, 6);
    }
  });

  it('leaves the cache exactly as after prefill (rollback exact)', async () => {
    const prompt = [5, 6, 7, 8];
    const lm = new FakeLM(V, hashRule(V));
    const cache = new PrefixCache(lm, true);
    const positions = [0, 1, 2, 3];
    await cache.prefill(prompt, undefined, positions);
    const held = [...lm.held];
    const heldPositions = [...lm.heldPositions];
    await scoreCandidates(cache, prompt, [[1, 2, 3], [4, 4]], { positions, nextPosition: (t, prev) => (t === 1 ? 0 : prev + 1) });
    expect(lm.held).toEqual(held);
    expect(lm.heldPositions).toEqual(heldPositions);
    expect([...cache.tokens]).toEqual(prompt);
  });

  it('feeds candidates at the format placement positions', async () => {
    const prompt = [5, 6, 7, 8];
    const lm = new FakeLM(V, hashRule(V));
    const cache = new PrefixCache(lm, true);
    const seen: number[][] = [];
    const forward = lm.forward.bind(lm);
    lm.forward = async (tokens, signal, positions) => {
      seen.push(positions ?? []);
      return forward(tokens, signal, positions);
    };
    // Token 1 jumps back to position 1 (a block marker's twin); the rest count on.
    await scoreCandidates(cache, prompt, [[1, 9, 9]], { positions: [0, 1, 2, 3], nextPosition: (t, prev) => (t === 1 ? 1 : prev + 1) });
    expect(seen[seen.length - 1]).toEqual([1, 2]);
  });
});
