import { describe, expect, it } from 'vitest';
import { FakeLM, hashRule } from '../testing/fake-models.js';
import { argmax } from './greedy.js';
import { PrefixCache } from './prefix-cache.js';

const V = 16;
const base = Array.from({ length: 30 }, (_, i) => (i * 5) % V);

async function fresh(prompt: number[]): Promise<Float32Array> {
  return (await new PrefixCache(new FakeLM(V, hashRule(V))).prefill(prompt)).last;
}

describe('PrefixCache', () => {
  it('forwards only what changed after edits at the start, middle and end', async () => {
    const model = new FakeLM(V, hashRule(V));
    const cache = new PrefixCache(model);
    expect((await cache.prefill(base)).cachedTokens).toBe(0);

    const atEnd = [...base, 7, 8];
    let r = await cache.prefill(atEnd);
    expect(r.cachedTokens).toBe(30);
    expect(model.fedTokens).toBe(32);
    expect(r.last).toEqual(await fresh(atEnd));

    const inMiddle = [...atEnd];
    inMiddle[12] = 15;
    r = await cache.prefill(inMiddle);
    expect(r.cachedTokens).toBe(12);
    expect(r.last).toEqual(await fresh(inMiddle));

    const atStart = [9, ...inMiddle];
    r = await cache.prefill(atStart);
    expect(r.cachedTokens).toBe(0);
    expect(r.forwardPasses).toBe(1);
    expect(cache.tokens).toEqual(atStart);
    expect(model.held).toEqual(atStart);
  });

  it('re-forwards the last token when the whole prompt is cached', async () => {
    const cache = new PrefixCache(new FakeLM(V, hashRule(V)));
    const first = await cache.prefill(base);
    const again = await cache.prefill(base);
    expect(again.cachedTokens).toBe(base.length - 1);
    expect(again.last).toEqual(first.last);
    // A shorter prompt that is a prefix of what is held.
    const shorter = await cache.prefill(base.slice(0, 10));
    expect(shorter.cachedTokens).toBe(9);
    expect(shorter.last).toEqual(await fresh(base.slice(0, 10)));
  });

  it('starts over when the model was moved behind its back', async () => {
    const model = new FakeLM(V, hashRule(V));
    const cache = new PrefixCache(model);
    await cache.prefill(base);
    model.truncate(5);
    const r = await cache.prefill(base);
    expect(r.cachedTokens).toBe(0);
    expect(r.last).toEqual(await fresh(base));
  });

  it('detects truncate misuse', async () => {
    const model = new FakeLM(V, hashRule(V));
    const cache = new PrefixCache(model);
    await cache.prefill([1, 2, 3]);
    expect(() => model.truncate(4)).toThrow(RangeError);
    await expect(cache.truncate(4)).rejects.toThrow(RangeError);
    expect(cache.tokens).toEqual([1, 2, 3]);
  });

  it('argmax picks the largest logit, lowest index on ties', () => {
    const logits = { data: new Float32Array([0, 3, 3, 1, 5, 0]), rows: 2, vocabSize: 3 };
    expect(argmax(logits, 0)).toBe(1);
    expect(argmax(logits, 1)).toBe(1);
    expect(() => argmax(logits, 2)).toThrow(RangeError);
  });
});

describe('PrefixCache failures', () => {
  it('leaves the cache as before when forward fails (abort inside a pass)', async () => {
    const model = new FakeLM(V, hashRule(V));
    const cache = new PrefixCache(model);
    await cache.prefill(base);
    const signal = { aborted: true, addEventListener: () => {}, removeEventListener: () => {} };
    await expect(cache.append([1, 2], signal)).rejects.toMatchObject({ name: 'AbortError' });
    await expect(cache.prefill([...base, 3], signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(cache.tokens).toEqual(base);
    expect(model.held).toEqual(base);
    expect((await cache.prefill([...base, 3])).cachedTokens).toBe(base.length);
  });
});

describe('PrefixCache with aligned positions', () => {
  it('feeds the prompt positions, continues one apart, and reuses a token only at the same position', async () => {
    const model = new FakeLM(V, hashRule(V));
    const cache = new PrefixCache(model, true);
    await cache.prefill([1, 2, 3, 4], undefined, [0, 1, 1, 2]);
    await cache.append([5, 6]);
    expect(model.heldPositions).toEqual([0, 1, 1, 2, 3, 4]);
    expect(cache.positions).toEqual([0, 1, 1, 2, 3, 4]);
    // Same tokens, position 2 moved: reuse stops there.
    const r = await cache.prefill([1, 2, 3, 4], undefined, [0, 1, 2, 3]);
    expect(r.cachedTokens).toBe(2);
    expect(model.heldPositions).toEqual([0, 1, 2, 3]);
  });

  it('refuses a prompt without positions instead of feeding wrong ones', async () => {
    const cache = new PrefixCache(new FakeLM(V, hashRule(V)), true);
    await expect(cache.prefill([1, 2])).rejects.toThrow(/aligned positions/);
  });

  it('ignores prompt positions when its model was trained without them', async () => {
    const model = new FakeLM(V, hashRule(V));
    await new PrefixCache(model).prefill([1, 2, 3], undefined, [0, 0, 0]);
    expect(model.heldPositions).toEqual([0, 1, 2]);
  });
});
