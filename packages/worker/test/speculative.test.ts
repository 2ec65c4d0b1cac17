// Core's speculative decoding over the real ONNX model is lossless: the same
// tokens as greedy, in fewer forward passes when the draft is what the model says.
import { generate, PrefixCache } from '@nextedit/core';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../src/index.js';
import { hasTestModel, testModel } from './model-dir.js';

describe.skipIf(!hasTestModel)('speculative decoding on the real model', () => {
  it('speculative and speculative+draft equal greedy', async () => {
    const [{ lm }, { lm: draftLm }] = await Promise.all([loadModel(testModel), loadModel(testModel)]);
    const prompt = [11, 250, 37, 1020, 7, 99, 400, 12, 13, 2048, 5, 77];
    const greedy = await generate(new PrefixCache(lm), prompt, { maxTokens: 24, stopTokens: [], mode: 'greedy' });
    await lm.truncate(0);
    // The draft: greedy's own first half then noise, so some of it is accepted and some rejected.
    const draft = [...greedy.tokens.slice(0, 10), 1, 2, 3, 4, 5, 6];
    const spec = await generate(new PrefixCache(lm), prompt, { maxTokens: 24, stopTokens: [], mode: 'speculative', draft });
    await lm.truncate(0);
    const withDraft = await generate(new PrefixCache(lm), prompt, {
      maxTokens: 24,
      stopTokens: [],
      mode: 'speculative+draft',
      draft,
      draftModel: new PrefixCache(draftLm),
    });
    expect(spec.tokens).toEqual(greedy.tokens);
    expect(withDraft.tokens).toEqual(greedy.tokens);
    expect(spec.stats.forwardPasses).toBeLessThan(greedy.stats.forwardPasses);
    expect(spec.stats.draftAccepted).toBeGreaterThan(5);
    await lm.dispose();
    await draftLm.dispose();
  }, 60_000);
});
