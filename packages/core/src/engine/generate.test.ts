import { describe, expect, it } from 'vitest';
import { FakeLM, copyRule, hashRule, inductionRule, referenceGreedy } from '../testing/fake-models.js';
import { DraftPolicy } from './draft-policy.js';
import { generate, type DecodeMode } from './generate.js';
import { PrefixCache } from './prefix-cache.js';

/** Small deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const V = 12;

describe('generate', () => {
  it('speculative decoding equals greedy token for token on random inputs', async () => {
    const rand = rng(1);
    const int = (n: number) => Math.floor(rand() * n);
    const modes: DecodeMode[] = ['greedy', 'speculative', 'speculative+draft'];
    for (let trial = 0; trial < 300; trial++) {
      const rule = inductionRule(V, 3 + int(8));
      const prompt = Array.from({ length: 5 + int(40) }, () => int(V));
      // Drafts: a slice of the prompt (what the region looks like), mutated, and noise.
      const start = int(prompt.length);
      const draft = prompt.slice(start, start + int(30)).map((t) => (rand() < 0.1 ? int(V) : t));
      const extra = rand() < 0.5 ? [Array.from({ length: int(10) }, () => int(V))] : undefined;
      const stopTokens = rand() < 0.8 ? [int(V)] : [];
      const maxTokens = int(40);
      const expected = referenceGreedy(rule, prompt, maxTokens, stopTokens);
      // One shared cache across modes: each run starts from what the last left.
      const cache = new PrefixCache(new FakeLM(V, rule));
      let greedyConfidence: number | undefined;
      for (const mode of modes) {
        const draftModel = new PrefixCache(new FakeLM(V, rand() < 0.5 ? rule : hashRule(V)));
        const result = await generate(cache, prompt, {
          maxTokens,
          stopTokens,
          mode,
          draft,
          extraDrafts: extra,
          draftModel,
          chunkSize: 1 + int(20),
          draftK: 1 + int(6),
          // Sometimes a draft policy on a random clock: skipping proposals never changes the output.
          draftPolicy: rand() < 0.5 ? new DraftPolicy({ now: () => rand() * 10, probeEvery: 1 + int(4) }) : undefined,
        });
        expect({ tokens: result.tokens, stop: result.stop, stopToken: result.stopToken }, `trial ${trial} ${mode}`).toEqual(expected);
        expect(result.stats.generatedTokens).toBe(expected.tokens.length);
        // The confidence is the same whichever way the tokens were found.
        greedyConfidence ??= result.minProbability;
        expect(result.minProbability, `trial ${trial} ${mode}`).toBeCloseTo(greedyConfidence, 12);
        expect(result.stats.draftAccepted).toBeLessThanOrEqual(result.stats.draftProposed);
        // The cache holds exactly prompt + output, and the model agrees.
        expect(cache.tokens).toEqual([...prompt, ...result.tokens].slice(0, cache.model.length));
        expect(cache.tokens.length).toBe(cache.model.length);
        expect((cache.model as FakeLM).held).toEqual(cache.tokens);
        expect(draftModel.tokens.length).toBe(draftModel.model.length);
      }
    }
  });

  it('needs at least 4x fewer forward passes when the answer mostly copies the region', async () => {
    const rand = rng(7);
    const region = Array.from({ length: 200 }, () => 3 + Math.floor(rand() * 40));
    const target = [...region];
    target.splice(60, 2, 5, 6, 7); // a replacement
    target.splice(150, 0, 9); // an insertion
    const MARK = 1;
    const END = 2;
    const rule = copyRule(target, MARK, END);
    const prompt = [4, 8, ...region, MARK];
    const run = async (mode: DecodeMode) => generate(new PrefixCache(new FakeLM(50, rule)), prompt, { maxTokens: 400, stopTokens: [END], mode, draft: [...region, END] });
    const greedy = await run('greedy');
    const spec = await run('speculative');
    expect(greedy.tokens).toEqual(target);
    expect(spec.tokens).toEqual(target);
    expect(spec.stop).toBe('stop');
    expect(greedy.stats.forwardPasses).toBe(target.length + 1);
    expect(spec.stats.forwardPasses * 4).toBeLessThanOrEqual(greedy.stats.forwardPasses);
    expect(spec.stats.draftAccepted).toBeGreaterThan(170);
  });

  it('uses an extra draft when the region offers none', async () => {
    const target = Array.from({ length: 64 }, (_, i) => 3 + (i % 20));
    const rule = copyRule(target, 1, 2);
    const run = (extraDrafts?: number[][]) =>
      generate(new PrefixCache(new FakeLM(30, rule)), [5, 1], { maxTokens: 100, stopTokens: [2], extraDrafts });
    const plain = await run();
    const helped = await run([[...target, 2]]);
    expect(helped.tokens).toEqual(plain.tokens);
    expect(helped.stats.forwardPasses * 4).toBeLessThanOrEqual(plain.stats.forwardPasses);
  });

  it('a draft model that agrees with the main model cuts passes; its cache stays in sync', async () => {
    const rule = hashRule(V);
    const prompt = [1, 2, 3, 4];
    const draftModel = new PrefixCache(new FakeLM(V, rule));
    const greedy = await generate(new PrefixCache(new FakeLM(V, rule)), prompt, { maxTokens: 40, stopTokens: [], mode: 'greedy' });
    const spec = await generate(new PrefixCache(new FakeLM(V, rule)), prompt, { maxTokens: 40, stopTokens: [], mode: 'speculative+draft', draftModel, draftK: 4 });
    expect(spec.tokens).toEqual(greedy.tokens);
    expect(spec.stats.forwardPasses).toBeLessThan(greedy.stats.forwardPasses / 3);
    expect(spec.stats.draftAccepted).toBe(spec.stats.draftProposed);
    expect((draftModel.model as FakeLM).held).toEqual(draftModel.tokens);
  });

  it('feeds each model the positions it was trained with, the answer continuing after the prompt', async () => {
    const rule = hashRule(V);
    const prompt = [1, 2, 3, 4];
    const positions = [0, 1, 2, 1];
    const main = new PrefixCache(new FakeLM(V, rule), true);
    const draftModel = new PrefixCache(new FakeLM(V, rule));
    const out = await generate(main, prompt, { maxTokens: 12, stopTokens: [], mode: 'speculative+draft', draftModel, positions });
    const n = prompt.length + out.tokens.length;
    expect((main.model as FakeLM).heldPositions).toEqual([0, 1, 2, 1, ...Array.from({ length: n - 4 }, (_, i) => 2 + i)].slice(0, main.tokens.length));
    // The draft model was trained without aligned positions: 0, 1, 2, ...
    const draftHeld = (draftModel.model as FakeLM).heldPositions;
    expect(draftHeld).toEqual(draftHeld.map((_, i) => i));
  });

  it('calls onChunk with the growing output', async () => {
    const chunks: number[][] = [];
    const rule = hashRule(V);
    const result = await generate(new PrefixCache(new FakeLM(V, rule)), [1, 2], { maxTokens: 10, stopTokens: [], mode: 'greedy', onChunk: (g) => chunks.push(g) });
    expect(chunks.length).toBeGreaterThan(0);
    for (const c of chunks) expect(result.tokens.slice(0, c.length)).toEqual(c);
  });

  it('rejects with AbortError between passes and leaves a usable cache', async () => {
    const rule = hashRule(V);
    const cache = new PrefixCache(new FakeLM(V, rule));
    const prompt = [3, 1, 4, 1, 5];
    const listeners: (() => void)[] = [];
    const signal = { aborted: false, addEventListener: (_: 'abort', l: () => void) => void listeners.push(l), removeEventListener: () => {} };
    const pending = generate(cache, prompt, {
      maxTokens: 50,
      stopTokens: [],
      mode: 'greedy',
      signal,
      onChunk: (g) => {
        if (g.length === 3) signal.aborted = true;
      },
    });
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(cache.tokens.length).toBe(cache.model.length);
    expect((cache.model as FakeLM).held).toEqual(cache.tokens);
    const again = await generate(cache, prompt, { maxTokens: 20, stopTokens: [] });
    expect(again.tokens).toEqual(referenceGreedy(rule, prompt, 20, []).tokens);
    expect(again.stats.cachedTokens).toBe(prompt.length - 1);
  });

  it('never emits past maxTokens, and returns nothing for maxTokens 0', async () => {
    const rule = hashRule(V);
    const zero = await generate(new PrefixCache(new FakeLM(V, rule)), [1], { maxTokens: 0, stopTokens: [] });
    expect(zero).toMatchObject({ tokens: [], stop: 'max' });
  });
});

describe('greedyChoice', () => {
  it('picks the argmax with its softmax probability, stable for large logits, in any order', async () => {
    const { argmax, greedyChoice } = await import('./greedy.js');
    const logits = { data: new Float32Array([0, Math.log(3), 1000 + Math.log(3), 1000]), rows: 2, vocabSize: 2 };
    expect(greedyChoice(logits, 0).token).toBe(1);
    expect(greedyChoice(logits, 0).probability).toBeCloseTo(0.75, 6);
    expect(greedyChoice(logits, 1).token).toBe(0);
    expect(greedyChoice(logits, 1).probability).toBeCloseTo(0.75, 4); // float32 rounding of 1000 + ln 3
    // Against a two-pass softmax on a random row, NaN included (never wins, adds nothing).
    const row = Float32Array.from({ length: 50 }, (_, i) => Math.sin(i * 7.3) * 20);
    row[7] = NaN;
    const one = { data: row, rows: 1, vocabSize: 50 };
    const max = Math.max(...[...row].filter((v) => !Number.isNaN(v)));
    const sum = [...row].filter((v) => !Number.isNaN(v)).reduce((a, v) => a + Math.exp(v - max), 0);
    expect(greedyChoice(one, 0).token).toBe(argmax(one, 0));
    expect(greedyChoice(one, 0).probability).toBeCloseTo(1 / sum, 6);
  });
});

describe('stopBelowProbability', () => {
  it('stops at the first unsure token, and changes nothing when every token is surer', async () => {
    const rule = inductionRule(V, 5);
    const prompt = [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3];
    const full = await generate(new PrefixCache(new FakeLM(V, rule)), prompt, { maxTokens: 30, stopTokens: [], mode: 'greedy' });
    const same = await generate(new PrefixCache(new FakeLM(V, rule)), prompt, {
      maxTokens: 30, stopTokens: [], mode: 'greedy', stopBelowProbability: full.minProbability,
    });
    expect(same.tokens).toEqual(full.tokens);
    const lm = new FakeLM(V, rule);
    const early = await generate(new PrefixCache(lm), prompt, {
      maxTokens: 30, stopTokens: [], mode: 'greedy', stopBelowProbability: full.minProbability + 1e-9,
    });
    expect(early.stop).toBe('unsure');
    expect(early.minProbability).toBeLessThan(full.minProbability + 1e-9);
    expect(early.tokens.length).toBeLessThan(full.tokens.length);
    expect(lm.forwards).toBeLessThan(full.stats.forwardPasses);
  });
});

describe('stopTexts', () => {
  // A vocabulary of text pieces: an end marker the tokenizer has no single token for.
  const PIECES = ['a', 'b', 'c', '<|', 'end', '|>', '<', '|', 'x\n', 'en', 'd|>'];
  const decode = (tokens: number[]) => tokens.map((t) => PIECES[t]).join('');
  const stopTexts = { texts: ['<|end|>'], decode };
  const modes: DecodeMode[] = ['greedy', 'speculative', 'speculative+draft'];

  /** Greedy from the rule, stopping after the first token whose output text holds a stop text. */
  function reference(rule: (c: readonly number[]) => number, prompt: number[], maxTokens: number, texts: string[]) {
    const context = [...prompt];
    const tokens: number[] = [];
    while (tokens.length < maxTokens) {
      const t = rule(context);
      tokens.push(t);
      context.push(t);
      const stopText = texts.find((s) => decode(tokens).includes(s));
      if (stopText) return { tokens, stop: 'stop', stopText };
    }
    return { tokens, stop: 'max', stopText: undefined };
  }

  it('ends decoding at a marker written in pieces, in every mode at the same token', async () => {
    // The answer, the marker in three pieces, then text a model writes past it (no stop token ever comes).
    const target = [0, 1, 2, 8, 3, 4, 5, 8, 0, 0];
    const rule = copyRule(target, 9, 8);
    const prompt = [2, 1, 9];
    for (const mode of modes) {
      const cache = new PrefixCache(new FakeLM(PIECES.length, rule));
      const r = await generate(cache, prompt, {
        maxTokens: 40, stopTokens: [], mode, stopTexts, draft: target, draftModel: new PrefixCache(new FakeLM(PIECES.length, rule)),
      });
      expect({ tokens: r.tokens, stop: r.stop, stopText: r.stopText }, mode).toEqual({ tokens: [0, 1, 2, 8, 3, 4, 5], stop: 'stop', stopText: '<|end|>' });
      expect(r.stopToken).toBeUndefined();
      expect(r.stats.generatedTokens).toBe(7);
      expect(cache.tokens).toEqual([...prompt, ...r.tokens].slice(0, cache.tokens.length));
      expect((cache.model as FakeLM).held).toEqual(cache.tokens);
    }
    // Without stopTexts the same model runs on to the cap.
    const plain = await generate(new PrefixCache(new FakeLM(PIECES.length, rule)), prompt, { maxTokens: 40, stopTokens: [], mode: 'greedy' });
    expect(plain.stop).toBe('max');
  });

  it('keeps the likelihood of the tokens kept when a verified chunk runs past the marker', async () => {
    const target = [0, 3, 4, 5, 1, 1, 1, 1];
    const rule = copyRule(target, 9, 8);
    const runs = await Promise.all(
      modes.map((mode) => generate(new PrefixCache(new FakeLM(PIECES.length, rule)), [9], { maxTokens: 20, stopTokens: [], mode, stopTexts, draft: target })),
    );
    for (const r of runs) {
      expect(r.tokens).toEqual([0, 3, 4, 5]);
      expect(r.minProbability).toBeCloseTo(runs[0]!.minProbability, 12);
      expect(r.logProbability).toBeCloseTo(runs[0]!.logProbability, 12);
    }
    expect(runs[1]!.stats.forwardPasses).toBeLessThan(runs[0]!.stats.forwardPasses);
  });

  it('equals greedy decoding with a text stop on random inputs (markers across chunk ends, stop tokens first)', async () => {
    const rand = rng(11);
    const int = (n: number) => Math.floor(rand() * n);
    const V = PIECES.length;
    for (let trial = 0; trial < 300; trial++) {
      const rule = inductionRule(V, 2 + int(6));
      const prompt = Array.from({ length: 3 + int(20) }, () => int(V));
      const texts = [['<|end|>', '|>', 'ab', 'c<', 'x\nx', 'end'][int(6)]!, ...(rand() < 0.3 ? ['ba'] : [])];
      const stopTokens = rand() < 0.3 ? [int(V)] : [];
      const maxTokens = int(30);
      // The reference stops on a stop token before the text check, as the engine does.
      const ref = reference(rule, prompt, maxTokens, texts);
      const at = ref.tokens.findIndex((t) => stopTokens.includes(t));
      const expected = at >= 0 ? { tokens: ref.tokens.slice(0, at), stop: 'stop', stopText: undefined } : ref;
      for (const mode of modes) {
        const cache = new PrefixCache(new FakeLM(V, rule));
        const start = int(prompt.length);
        const r = await generate(cache, prompt, {
          maxTokens, stopTokens, mode, stopTexts: { texts, decode },
          draft: prompt.slice(start, start + int(20)),
          draftModel: new PrefixCache(new FakeLM(V, rand() < 0.5 ? rule : hashRule(V))),
          chunkSize: 1 + int(8),
          draftK: 1 + int(4),
        });
        expect({ tokens: r.tokens, stop: r.stop, stopText: r.stopText }, `trial ${trial} ${mode}`).toEqual(expected);
        expect((cache.model as FakeLM).held).toEqual(cache.tokens);
        expect(cache.tokens).toEqual([...prompt, ...r.tokens].slice(0, cache.tokens.length));
      }
    }
  });
});
