import { describe, expect, it } from 'vitest';
import { FakeLM, inductionRule } from '../testing/fake-models.js';
import { generate, type DecodeMode } from './generate.js';
import { endsInLoop, LOOP_WINDOW, loopCut } from './loop-guard.js';
import { PrefixCache } from './prefix-cache.js';

const repeat = (unit: number[], n: number) => Array.from({ length: n }, (_, i) => unit[i % unit.length]!);

describe('loop guard', () => {
  it('sees a tail that repeats a short unit, unless a draft holds the same stretch', () => {
    const loop = [5, 6, ...repeat([1, 2, 3], LOOP_WINDOW)];
    expect(endsInLoop(loop, loop.length, [])).toBe(true);
    expect(endsInLoop(loop, loop.length - 1, [])).toBe(false); // the window reaches back into 5, 6
    expect(loopCut(loop, 0, [])).toBe(loop.length);
    // Copying a repetitive region is no loop.
    expect(endsInLoop(loop, loop.length, [[9, ...repeat([2, 3, 1], 60), 9]])).toBe(false);
    // Long periods and varied text are none either.
    expect(endsInLoop(repeat(Array.from({ length: 17 }, (_, i) => i), 80), 80, [])).toBe(false);
    expect(endsInLoop(Array.from({ length: 80 }, (_, i) => i % 50), 80, [])).toBe(false);
  });

  it('ends a looping answer early, at the same token in every mode, the cache holding prompt + output', async () => {
    const unit = [3, 4, 5, 4];
    // After a short lead-in the model writes `unit` forever (what a small model lost in a block does).
    const rule = (ctx: readonly number[]) => (ctx.length < 6 ? 7 : unit[ctx.length % unit.length]!);
    const prompt = [1, 2];
    const modes: DecodeMode[] = ['greedy', 'speculative', 'speculative+draft'];
    const results = [];
    for (const mode of modes) {
      const cache = new PrefixCache(new FakeLM(10, rule));
      const r = await generate(cache, prompt, { maxTokens: 256, stopTokens: [9], mode, draft: [7, 7, 7, 7, 3, 4, 5, 4, 8], draftModel: new PrefixCache(new FakeLM(10, rule)) });
      expect(r.stop, mode).toBe('loop');
      expect(cache.tokens).toEqual([...prompt, ...r.tokens].slice(0, cache.tokens.length));
      expect((cache.model as FakeLM).held).toEqual(cache.tokens);
      results.push(r);
    }
    const greedy = results[0]!;
    expect(greedy.tokens.length).toBeLessThan(LOOP_WINDOW + 8);
    for (const r of results) expect(r.tokens).toEqual(greedy.tokens);
    expect(results[1]!.stats.forwardPasses).toBeLessThanOrEqual(greedy.stats.forwardPasses);
  });

  it('never changes what the modes agree on, on random long outputs', async () => {
    let s = 5;
    const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const int = (n: number) => Math.floor(rand() * n);
    for (let trial = 0; trial < 60; trial++) {
      const rule = inductionRule(6, 2 + int(6));
      const prompt = Array.from({ length: 4 + int(20) }, () => int(6));
      const draft = Array.from({ length: int(60) }, () => int(6));
      const out = [];
      for (const mode of ['greedy', 'speculative', 'speculative+draft'] as DecodeMode[]) {
        const r = await generate(new PrefixCache(new FakeLM(6, rule)), prompt, {
          maxTokens: 150, stopTokens: [], mode, draft, chunkSize: 1 + int(16), draftModel: new PrefixCache(new FakeLM(6, rule)),
        });
        out.push({ tokens: r.tokens, stop: r.stop });
      }
      expect(out[1], `trial ${trial}`).toEqual(out[0]);
      expect(out[2], `trial ${trial}`).toEqual(out[0]);
    }
  });
});
