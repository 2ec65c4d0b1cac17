import { describe, expect, it } from 'vitest';
import { FakeLM, hashRule, referenceGreedy, type NextTokenRule } from '../testing/fake-models.js';
import type { AbortSignalLike, CausalLM, Logits } from '../types.js';
import { DraftPolicy } from './draft-policy.js';
import { generate } from './generate.js';
import { PrefixCache } from './prefix-cache.js';

const V = 12;

/** A simulated clock that forward passes advance. */
class Clock {
  t = 0;
  readonly now = () => this.t;
}

/** A FakeLM whose every forward pass takes `ms` on `clock`. */
class TimedLM implements CausalLM {
  private readonly lm: FakeLM;
  constructor(rule: NextTokenRule, private readonly clock: Clock, private readonly ms: number) {
    this.lm = new FakeLM(V, rule);
  }
  get length(): number {
    return this.lm.length;
  }
  async forward(tokens: number[], signal?: AbortSignalLike, positions?: number[]): Promise<Logits> {
    this.clock.t += this.ms;
    return this.lm.forward(tokens, signal, positions);
  }
  truncate(length: number): void {
    this.lm.truncate(length);
  }
}

/** Ten requests through one pair of caches (as a predictor does), with or without a policy. */
async function session(draftRule: NextTokenRule, mainMs: number, draftMs: number, adaptive: boolean) {
  const clock = new Clock();
  const rule = hashRule(V);
  const main = new PrefixCache(new TimedLM(rule, clock, mainMs));
  const draftModel = new PrefixCache(new TimedLM(draftRule, clock, draftMs));
  const policy = adaptive ? new DraftPolicy({ now: clock.now }) : undefined;
  let proposed = 0;
  let passes = 0;
  for (let r = 0; r < 10; r++) {
    const prompt = [1 + (r % 5), 2, 3, r % V];
    const out = await generate(main, prompt, { maxTokens: 40, stopTokens: [], mode: 'speculative+draft', draftModel, draftPolicy: policy });
    expect(out.tokens).toEqual(referenceGreedy(rule, prompt, 40, []).tokens);
    proposed += out.stats.draftProposed;
    passes += out.stats.forwardPasses;
  }
  return { ms: clock.t, proposed, passes };
}

describe('DraftPolicy', () => {
  it('proposes while k draft passes cost less than the main passes the expected accepted tokens save', () => {
    const policy = new DraftPolicy({ now: () => 0 });
    expect(policy.pays(4)).toBe(true); // nothing measured yet: measure first
    policy.recordMainPass(10);
    policy.recordDraftPasses(4, 4);
    policy.recordProposal(4, 1); // acceptance 1 / (1 + 1) = 0.5
    expect(policy.acceptance).toBeCloseTo(0.5);
    // E[accepted] = 0.5 + 0.25 + 0.125 + 0.0625 = 0.9375: saves 9.4 ms, costs 4 ms.
    expect(policy.pays(4)).toBe(true);
    policy.recordDraftPasses(3 * 4 * 6, 4); // draft pass now averages > 2.4 ms
    expect(policy.pays(4)).toBe(false);
  });

  it('while proposing does not pay, probes after probeEvery chances, then twice as long each time', () => {
    const policy = new DraftPolicy({ now: () => 0, probeEvery: 5 });
    policy.recordMainPass(1);
    policy.recordDraftPasses(10, 1);
    policy.recordProposal(4, 0);
    const probes = Array.from({ length: 40 }, () => policy.shouldPropose(4)).flatMap((p, i) => (p ? [i + 1] : []));
    expect(probes).toEqual([5, 15, 35]);
    // Once it pays again, every chance proposes and the interval starts over.
    policy.recordMainPass(1000);
    policy.recordProposal(4, 4);
    expect(policy.shouldPropose(4)).toBe(true);
  });

  it('in generate: a costly draft that disagrees is mostly skipped, saving time, output unchanged', async () => {
    const disagrees: NextTokenRule = () => 0;
    const always = await session(disagrees, 1, 1, false);
    const adaptive = await session(disagrees, 1, 1, true);
    expect(adaptive.proposed * 4).toBeLessThan(always.proposed);
    expect(adaptive.ms).toBeLessThan(always.ms * 0.7);
  });

  it('in generate: a cheap draft that agrees is used at every chance, as without a policy', async () => {
    const always = await session(hashRule(V), 1, 0.1, false);
    const adaptive = await session(hashRule(V), 1, 0.1, true);
    expect(adaptive.proposed).toBe(always.proposed);
    expect(adaptive.passes).toBe(always.passes);
    expect(adaptive.ms).toBe(always.ms);
  });
});
