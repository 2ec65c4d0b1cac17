import { describe, expect, it } from 'vitest';
import { CharTokenizer } from '../testing/char-tokenizer.js';
import { NATIVE_TOKENS as T, nativeFormat } from '../prompt/native.js';
import type { CausalLM, EditPrediction, Logits, PredictRequest } from '../types.js';
import { ModelPredictor } from './model-predictor.js';
import { applyEdits } from '../edits/index.js';
import { getPromptFormat } from '../prompt/registry.js';
import type { BuiltPrompt } from '../prompt/types.js';
import { FakeLM } from '../testing/fake-models.js';
import { MAX_ANSWER_TOKENS } from '../prompt/native-v2.js';

const tok = new CharTokenizer(nativeFormat.specialTokens);
const ANSWER = tok.tokenId(T.answer)!;

/**
 * A deterministic fake LM with a real KV-cache contract: it holds a token
 * sequence, and at every position predicts the next token of
 * `answer(prompt)` (the prompt being everything up to <|answer|>).
 */
class ScriptedLM implements CausalLM {
  private ctx: number[] = [];
  /** Rotary position of each held token, as fed. */
  positions: number[] = [];
  forwards = 0;
  constructor(private readonly answer: (promptText: string) => string) {}
  get length(): number {
    return this.ctx.length;
  }
  async forward(tokens: number[], _signal?: unknown, positions?: number[]): Promise<Logits> {
    this.forwards++;
    this.positions.push(...(positions ?? tokens.map((_, i) => this.ctx.length + i)));
    const vocab = tok.vocabSize;
    const data = new Float32Array(tokens.length * vocab);
    tokens.forEach((t, i) => {
      this.ctx.push(t);
      data[i * vocab + this.next()] = 1;
    });
    return { data, rows: tokens.length, vocabSize: vocab };
  }
  truncate(length: number): void {
    this.ctx.length = Math.min(length, this.ctx.length);
    this.positions.length = this.ctx.length;
  }
  private next(): number {
    const a = this.ctx.lastIndexOf(ANSWER);
    if (a < 0) return 0;
    const want = tok.encode(this.answer(tok.decode(this.ctx.slice(0, a + 1))));
    const so = this.ctx.slice(a + 1);
    const ok = so.every((t, i) => t === want[i]);
    return ok && so.length < want.length ? want[so.length] : tok.tokenId(T.eos)!;
  }
}

/** The region text of a native prompt, without the cursor marker. */
function regionOf(prompt: string): string {
  return prompt.slice(prompt.indexOf(T.region) + T.region.length, prompt.indexOf(T.regionEnd)).replace(T.cursor, '');
}

const text = Array.from({ length: 12 }, (_, i) => `const v${i} = ${i};\n`).join('');

describe('ModelPredictor', () => {
  it('turns a one-word change of the region into a minimal edit', async () => {
    const lm = new ScriptedLM((p) => regionOf(p).replace('v5 = 5', 'v5 = 50') + T.regionEnd);
    const predictor = new ModelPredictor({ model: lm, tokenizer: tok, mode: 'greedy', backend: 'test' });
    const request: PredictRequest = { path: 'a.ts', text, cursor: text.indexOf('v5'), events: [] };
    const p = await predictor.predict(request);
    const at = text.indexOf('v5 = 5') + 6;
    expect(p?.edits).toEqual([{ from: at, to: at, insert: '0' }]);
    expect(p?.cursor).toBe(at + 1);
    expect(p?.jump).toBeUndefined();
    expect(p?.stats.backend).toBe('test');
    expect(p?.stats.promptTokens).toBeGreaterThan(0);
  });

  it('shows only line completions of its own under ownAnswers line-completion, and no partial lines', async () => {
    const rewrite = new ScriptedLM((p) => regionOf(p).replace('v5 = 5', 'v5 = 50') + T.regionEnd);
    const request: PredictRequest = { path: 'a.ts', text, cursor: text.indexOf('v5'), events: [] };
    const gated = new ModelPredictor({ model: rewrite, tokenizer: tok, mode: 'greedy', candidates: false, ownAnswers: 'line-completion' });
    const partials: EditPrediction[] = [];
    expect(await gated.predict(request, { onPartial: (p) => partials.push(p) })).toBeNull();
    expect(partials).toEqual([]);
    expect(gated.lastAnswers.map((a) => a.madeBy)).toEqual(['model']); // still weighed, not shown

    const typed = text.replace('const v5 = 5;\n', 'const v5 = \n');
    const cursor = typed.indexOf('const v5 = ') + 'const v5 = '.length;
    const finish = new ScriptedLM((p) => regionOf(p).replace('const v5 = \n', 'const v5 = 5;\n') + T.regionEnd);
    const completing = new ModelPredictor({ model: finish, tokenizer: tok, mode: 'greedy', candidates: false, ownAnswers: 'line-completion' });
    const streamed: EditPrediction[] = [];
    const p = await completing.predict({ path: 'a.ts', text: typed, cursor, events: [] }, { onPartial: (x) => streamed.push(x) });
    expect(p?.edits).toEqual([{ from: cursor, to: cursor, insert: '5;' }]);
    expect(streamed[0]?.edits).toEqual(p?.edits); // the finished cursor line streams under the gate
  });

  it('feeds a model trained with aligned positions the prompt format\'s, the answer continuing after <|answer|>', async () => {
    const answer = (p: string) => regionOf(p).replace('v5 = 5', 'v5 = 50') + T.regionEnd;
    const request: PredictRequest = { path: 'a.ts', text, cursor: text.indexOf('v5'), events: [] };
    const lm = new ScriptedLM(answer);
    const p = await new ModelPredictor({ model: lm, tokenizer: tok, alignedPositions: true }).predict(request);
    expect(p?.edits).toHaveLength(1);
    const prompt = nativeFormat.build(request, tok);
    const n = prompt.tokens.length;
    expect(lm.positions.slice(0, n)).toEqual(prompt.positions);
    // The first answer token sits where the first region token does.
    const region = prompt.tokens.indexOf(tok.tokenId(T.region)!);
    expect(lm.positions[n]).toBe(prompt.positions![region + 1]);
    // Without the flag: 0, 1, 2, ...
    const plain = new ScriptedLM(answer);
    await new ModelPredictor({ model: plain, tokenizer: tok }).predict(request);
    expect(plain.positions).toEqual(plain.positions.map((_, i) => i));
  });

  it('gives the same edit with speculative decoding in fewer forward passes, reusing the cache', async () => {
    const answer = (p: string) => regionOf(p).replace('v5 = 5', 'v5 = 50') + T.regionEnd;
    const request: PredictRequest = { path: 'a.ts', text, cursor: text.indexOf('v5'), events: [] };
    const greedy = new ScriptedLM(answer);
    const spec = new ScriptedLM(answer);
    const g = await new ModelPredictor({ model: greedy, tokenizer: tok, mode: 'greedy' }).predict(request);
    const sp = new ModelPredictor({ model: spec, tokenizer: tok, mode: 'speculative' });
    const s = await sp.predict(request);
    expect(s?.edits).toEqual(g?.edits);
    expect(spec.forwards).toBeLessThan(greedy.forwards);
    const again = await sp.predict({ ...request, cursor: request.cursor + 1 });
    expect(again?.stats.cachedTokens).toBeGreaterThan(0);
  });

  it('answers without its draft model until useDraft gives it one, then drafts with it', async () => {
    // What the model writes changes between the requests (digit), so the last answer cannot draft all of the next.
    let digit = '0';
    const answer = (p: string) => regionOf(p).replace('v5 = 5', `v5 = 5${digit}`).replace('v9 = 9', `v9 = 9${digit}`) + T.regionEnd;
    const request: PredictRequest = { path: 'a.ts', text, cursor: text.indexOf('v5'), events: [] };
    const predictor = new ModelPredictor({ model: new ScriptedLM(answer), tokenizer: tok, mode: 'speculative+draft', adaptiveDraft: false });
    const before = await predictor.predict(request);
    expect(before?.edits).toHaveLength(2);
    const draft = new ScriptedLM(answer);
    await predictor.useDraft(draft);
    digit = '7';
    const after = await predictor.predict({ ...request, cursor: request.cursor + 1 });
    expect(after?.edits.map((e) => e.insert)).toEqual(['7', '7']);
    expect(draft.forwards).toBeGreaterThan(0);
    await expect(predictor.useDraft(new ScriptedLM(answer))).rejects.toThrow(/already has a draft model/);
  });

  it('drafts with what the last request decoded: the same answer again in fewer passes', async () => {
    const answer = (p: string) => regionOf(p).replace('v5 = 5', 'v5 = 5000000').replace('v9 = 9', 'v9 = 9000000') + T.regionEnd;
    const request: PredictRequest = { path: 'a.ts', text, cursor: text.indexOf('v5'), events: [] };
    const lm = new ScriptedLM(answer);
    const predictor = new ModelPredictor({ model: lm, tokenizer: tok, mode: 'speculative', candidates: false });
    const first = await predictor.predict(request);
    const firstPasses = first!.stats.forwardPasses;
    const again = await predictor.predict({ ...request, cursor: request.cursor + 1 });
    expect(again?.edits).toEqual(first?.edits);
    expect(again!.stats.forwardPasses).toBeLessThan(firstPasses);
  });

  it('returns null for <|no_edit|> and for an unchanged region', async () => {
    const request: PredictRequest = { path: 'a.ts', text, cursor: 3, events: [] };
    expect(await new ModelPredictor({ model: new ScriptedLM(() => T.noEdit), tokenizer: tok }).predict(request)).toBeNull();
    const copy = new ScriptedLM((p) => regionOf(p) + T.regionEnd);
    expect(await new ModelPredictor({ model: copy, tokenizer: tok }).predict(request)).toBeNull();
  });

  it('suppresses an edit that undoes the user’s last edit', async () => {
    // The user just renamed v5 to w5; the model wants it back.
    const after = text.replace('const v5', 'const w5');
    const event = '--- a/a.ts\n+++ b/a.ts\n@@ -6 +6 @@\n-const v5 = 5;\n+const w5 = 5;\n';
    const request = { path: 'a.ts', text: after, cursor: after.indexOf('w5') + 2, events: [event] };
    const undo = new ScriptedLM((p) => regionOf(p).replace('w5', 'v5') + T.regionEnd);
    expect(await new ModelPredictor({ model: undo, tokenizer: tok }).predict(request)).toBeNull();
    // the same kind of edit that does not restore the old text is kept
    const other = new ScriptedLM((p) => regionOf(p).replace('w5', 'x5') + T.regionEnd);
    expect(await new ModelPredictor({ model: other, tokenizer: tok }).predict(request)).not.toBeNull();
  });

  it('sets a jump for an edit more than two lines from the cursor', async () => {
    const lm = new ScriptedLM((p) => regionOf(p).replace('v7 = 7', 'v7 = 70') + T.regionEnd);
    const p = await new ModelPredictor({ model: lm, tokenizer: tok }).predict({ path: 'a.ts', text, cursor: text.indexOf('v4'), events: [] });
    expect(p?.jump).toEqual({ pos: text.indexOf('v7 = 7') + 6 });
  });

  it('streams partial predictions of completed lines before the final one', async () => {
    const lm = new ScriptedLM((p) => regionOf(p).replace('v4 = 4', 'v4 = 40') + T.regionEnd);
    const partials: EditPrediction[] = [];
    const p = await new ModelPredictor({ model: lm, tokenizer: tok, mode: 'greedy' }).predict(
      { path: 'a.ts', text, cursor: text.indexOf('v4'), events: [] },
      { onPartial: (x) => partials.push(x) },
    );
    expect(partials.length).toBeGreaterThan(0);
    expect(partials[0].edits).toEqual(p?.edits);
  });

  it('reports its confidence and holds back predictions (and partials) below minConfidence', async () => {
    const answer = (p: string) => regionOf(p).replace('v4 = 4', 'v4 = 40') + T.regionEnd;
    const request: PredictRequest = { path: 'a.ts', text, cursor: text.indexOf('v4'), events: [] };
    // ScriptedLM's logits are one-hot (1 vs 0): every choice has probability e / (e + V - 1).
    const sure = Math.E / (Math.E + tok.vocabSize - 1);
    const shown = await new ModelPredictor({ model: new ScriptedLM(answer), tokenizer: tok, minConfidence: sure / 2 }).predict(request);
    expect(shown?.confidence).toBeCloseTo(sure, 6);
    const partials: EditPrediction[] = [];
    const held = await new ModelPredictor({ model: new ScriptedLM(answer), tokenizer: tok, mode: 'greedy', minConfidence: sure * 2 }).predict(
      request,
      { onPartial: (x) => partials.push(x) },
    );
    expect(held).toBeNull();
    expect(partials).toEqual([]);
  });

  it('rejects unknown formats with the list of known ones', () => {
    expect(() => new ModelPredictor({ model: new ScriptedLM(() => ''), tokenizer: tok, format: 'nope' })).toThrow(/native/);
  });
});

describe('ModelPredictor history drafts', () => {
  it('lets the engine verify the repeated last edit as a draft', async () => {
    // The user renamed v4 to w4 on one line; the model renames the next use too.
    const src = 'let v4 = 1;\nfoo(v4);\nbar(v4);\n';
    const event = '--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-let v4 = 1;\n+let w4 = 1;\n';
    const text2 = src.replace('let v4', 'let w4');
    const answer = (p: string) => regionOf(p).replace('foo(v4)', 'foo(w4)') + T.regionEnd;
    const request = { path: 'a.ts', text: text2, cursor: 6, events: [event] };
    // Candidates off: this is about the draft; the scripted model's flat logits make any short answer likelier.
    const withHistory = await new ModelPredictor({ model: new ScriptedLM(answer), tokenizer: tok, candidates: false }).predict(request);
    const without = await new ModelPredictor({ model: new ScriptedLM(answer), tokenizer: tok, candidates: false }).predict({ ...request, events: [] });
    const at = text2.indexOf('foo(v4)') + 4;
    expect(withHistory?.edits).toEqual([{ from: at, to: at + 1, insert: 'w' }]);
    expect(withHistory!.stats.draftAccepted).toBeGreaterThan(without!.stats.draftAccepted);
  });
});

describe('ModelPredictor candidates (native v2)', () => {
  const v2 = getPromptFormat('native', 2);
  const tok2 = new CharTokenizer(v2.specialTokens);
  // The user renamed `count` in its first use; the next uses are candidates.
  const src = 'let count = 0;\nfoo(count);\nbar(1);\n\n\n\n\n\nbaz(count);\n';
  const event = '--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-let count = 0;\n+let total = 0;\n';
  const text2 = src.replace('let count', 'let total');
  const request: PredictRequest = { path: 'a.ts', text: text2, cursor: 9, events: [event] };

  /** A model that finds `answer` (an answer text of the v2 format) likely and everything else not. */
  function prefers(answer: (prompt: BuiltPrompt) => string) {
    let ids: number[] = [];
    const rule = (context: readonly number[]) => {
      const at = context.lastIndexOf(tok2.tokenId('<|answer|>')!);
      const written = context.length - 1 - at;
      return written < ids.length ? ids[written]! : tok2.tokenId('<|endoftext|>')!;
    };
    // Sure of its choice (logit 30 against 0), so answer probabilities are meaningful.
    const lm = new FakeLM(tok2.vocabSize, rule);
    const forward = lm.forward.bind(lm);
    lm.forward = async (tokens, signal, positions) => {
      const logits = await forward(tokens, signal, positions);
      for (let r = 0; r < logits.rows; r++) {
        const row = logits.data.subarray(r * logits.vocabSize, (r + 1) * logits.vocabSize);
        const top = row.indexOf(Math.max(...row));
        row.fill(0);
        row[top] = 30;
      }
      return logits;
    };
    return {
      lm,
      bind(prompt: BuiltPrompt) {
        ids = tok2.encode(answer(prompt));
      },
    };
  }

  it('picks the candidate the model prefers, marks it model-verified, and jumps to a far one', async () => {
    const probe = v2.build(request, tok2);
    const far = text2.replace('baz(count)', 'baz(total)');
    const script = prefers(() => v2.target(probe, far)!);
    script.bind(probe);
    const p = await new ModelPredictor({ model: script.lm, tokenizer: tok2, format: v2, alignedPositions: true }).predict(request);
    expect(p).not.toBeNull();
    expect(applyEdits(text2, p!.edits)).toBe(far);
    expect(p!.jump).toEqual({ pos: far.indexOf('baz(total)') + 4 });
    // The model's own greedy answer is the same text: it made it itself.
    expect(['model', 'model-verified']).toContain(p!.stats.madeBy);
  });

  it('shows the verified candidate that is the same as an own answer ownAnswers holds back', async () => {
    const probe = v2.build(request, tok2);
    const far = text2.replace('baz(count)', 'baz(total)');
    const script = prefers(() => v2.target(probe, far)!);
    script.bind(probe);
    const opts = { model: script.lm, tokenizer: tok2, format: v2, alignedPositions: true, ownAnswers: 'line-completion' as const };
    const predictor = new ModelPredictor(opts);
    const p = await predictor.predict(request);
    expect(applyEdits(text2, p!.edits)).toBe(far);
    expect(p!.stats.madeBy).toBe('model-verified');
    // The own answer was weighed too, and held back: it is a rewrite, not the line being typed.
    expect(predictor.lastAnswers.filter((a) => a.output === predictor.lastAnswers[0]!.output).map((a) => a.madeBy)).toEqual(['model', 'model-verified']);
  });

  it('shows nothing when the model prefers no edit over every candidate', async () => {
    const script = prefers(() => '<|no_edit|>');
    script.bind(v2.build(request, tok2));
    const p = await new ModelPredictor({ model: script.lm, tokenizer: tok2, format: v2, alignedPositions: true }).predict(request);
    expect(p).toBeNull();
  });

  it('verifies a candidate when its own decoding was cut short', async () => {
    // maxTokens stops the model's own answer before its end; the candidate is whole.
    const probe = v2.build(request, tok2);
    const near = text2.replace('foo(count)', 'foo(total)');
    const script = prefers(() => v2.target(probe, near)!);
    script.bind(probe);
    const p = await new ModelPredictor({ model: script.lm, tokenizer: tok2, format: v2, alignedPositions: true, maxTokens: 5 }).predict(request);
    expect(p?.stats.madeBy).toBe('model-verified');
    expect(applyEdits(text2, p!.edits)).toBe(near);
    const off = await new ModelPredictor({ model: script.lm, tokenizer: tok2, format: v2, alignedPositions: true, maxTokens: 5, candidates: false }).predict(request);
    expect(off).toBeNull();
  });

  it('stops an answer that never ends at the format cap (MAX_ANSWER_TOKENS), not the draft length', async () => {
    const big = Array.from({ length: 200 }, (_, i) => `x${i} = ${i}\n`).join('');
    // Text that never ends and never repeats within the loop guard's reach (a 26-token period).
    const letters = tok2.encode('abcdefghijklmnopqrstuvwxyz');
    const lm = new FakeLM(tok2.vocabSize, (ctx) => letters[ctx.length % letters.length]!);
    const predictor = new ModelPredictor({ model: lm, tokenizer: tok2, format: v2, alignedPositions: true, candidates: false });
    const bigRequest: PredictRequest = { path: 'a.py', text: big, cursor: 400, events: [] };
    const prompt = v2.build(bigRequest, tok2);
    expect(prompt.draft.length + 64).toBeGreaterThan(MAX_ANSWER_TOKENS);
    expect(await predictor.predict(bigRequest)).toBeNull(); // no end marker: no edit
    // The cache holds the prompt and what was generated (the last token need not be fed).
    const generated = lm.held.length - prompt.tokens.length;
    expect(generated).toBeGreaterThanOrEqual(MAX_ANSWER_TOKENS - 1);
    expect(generated).toBeLessThanOrEqual(MAX_ANSWER_TOKENS);
  });

  it('holds back everything, candidates too, at floors above 1 (what calibration writes when no floor reaches its target)', async () => {
    const probe = v2.build(request, tok2);
    const script = prefers(() => v2.target(probe, text2.replace('foo(count)', 'foo(total)'))!);
    script.bind(probe);
    const opts = { model: script.lm, tokenizer: tok2, format: v2, alignedPositions: true };
    expect(await new ModelPredictor(opts).predict(request)).not.toBeNull();
    expect(await new ModelPredictor({ ...opts, minConfidence: 1.01, minVerified: 1.01 }).predict(request)).toBeNull();
  });
});

describe('ModelPredictor stop texts', () => {
  it('ends a Zeta answer at its end marker when the tokenizer writes the marker in pieces', async () => {
    const zeta = getPromptFormat('zeta1');
    // A vocabulary without Zed's added tokens: every marker is text, one character a token.
    const plain = new CharTokenizer(['<|endoftext|>']);
    const request: PredictRequest = { path: 'a.ts', text, cursor: text.indexOf('v5'), events: [] };
    const after = text.replace('v5 = 5', 'v5 = 50');
    const answer = zeta.target(zeta.build(request, plain), after)!;
    expect(plain.tokenId('<|editable_region_end|>')).toBeUndefined();
    // The model writes the answer, then the rest of the excerpt and on and on (never <|endoftext|>).
    const rule = (context: readonly number[]) => {
      const so = plain.decode([...context]);
      const written = so.slice(so.lastIndexOf('### Response:\n') + '### Response:\n'.length);
      const want = answer + '\n```\n' + 'x'.repeat(400);
      return plain.encode(want[written.length] ?? 'x')[0]!;
    };
    for (const mode of ['greedy', 'speculative'] as const) {
      const predictor = new ModelPredictor({ model: new FakeLM(plain.vocabSize, rule), tokenizer: plain, format: zeta, mode, candidates: false });
      const p = await predictor.predict(request);
      expect(p && applyEdits(text, p.edits), mode).toBe(after);
      expect(predictor.lastStats?.generatedTokens).toBe(answer.length);
    }
  });
});

describe('ModelPredictor.warm', () => {
  const v3 = getPromptFormat('native', 3);
  const tok3 = new CharTokenizer(v3.specialTokens);
  const file = Array.from({ length: 40 }, (_, i) => `line ${i}\n`).join('');
  const cursor = file.indexOf('line 21\n') + 'line 21'.length;
  const settled = '--- a/f\n+++ b/f\n@@ -3,1 +3,1 @@\n-old\n+line 2\n';
  const paused: PredictRequest = { path: 'f', text: file, cursor, events: [settled] };
  const keystroke: PredictRequest = {
    path: 'f', text: file.slice(0, cursor) + 'x' + file.slice(cursor), cursor: cursor + 1,
    events: [settled, '--- a/f\n+++ b/f\n@@ -22,1 +22,1 @@\n-line 21\n+line 21x\n'],
  };
  const lm = () => new FakeLM(tok3.vocabSize, () => tok3.tokenId('<|no_edit|>')!);

  it('prefills the settled prefix in both caches, so the first keystroke after a pause forwards only what follows it', async () => {
    const main = lm(), draft = lm();
    const predictor = new ModelPredictor({ model: main, draftModel: draft, tokenizer: tok3, format: v3, alignedPositions: true, draftAlignedPositions: true, candidates: false });
    const prefix = v3.settledPrefix!(paused, tok3);
    const w = await predictor.warm(paused);
    expect(w).toMatchObject({ promptTokens: prefix.tokens.length, cachedTokens: 0, forwardPasses: 2 });
    expect(main.held).toEqual(prefix.tokens);
    expect(main.heldPositions).toEqual(prefix.positions);
    expect(draft.held).toEqual(prefix.tokens);
    // Again: already there, nothing forwarded.
    expect(await predictor.warm(paused)).toMatchObject({ cachedTokens: prefix.tokens.length, forwardPasses: 0 });
    expect(await predictor.predict(keystroke)).toBeNull();
    expect(predictor.lastStats!.cachedTokens).toBe(prefix.tokens.length);
    // The model rolled back behind the predictor's back (a benchmark's reset): nothing counts as held.
    main.truncate(0);
    expect(await predictor.warm(paused)).toMatchObject({ cachedTokens: 0 });
    expect(main.held).toEqual(prefix.tokens);
    // Without the warm-up the same keystroke shares less with a cache that held the paused request's prompt.
    const cold = new ModelPredictor({ model: lm(), tokenizer: tok3, format: v3, alignedPositions: true, candidates: false });
    await cold.predict(paused);
    await cold.predict(keystroke);
    expect(cold.lastStats!.cachedTokens).toBeLessThan(prefix.tokens.length);
  });

  it('waits for a request in flight and leaves its answer alone; a format without a settled prefix warms its whole prompt', async () => {
    const model = lm();
    const predictor = new ModelPredictor({ model, tokenizer: tok3, format: v3, alignedPositions: true, candidates: false });
    const order: string[] = [];
    const done = Promise.all([
      predictor.predict(keystroke).then(() => order.push('predict')),
      predictor.warm(paused).then(() => order.push('warm')),
    ]);
    await done;
    expect(order).toEqual(['predict', 'warm']);
    const v1 = new ModelPredictor({ model: new FakeLM(tok.vocabSize, () => 0), tokenizer: tok, mode: 'greedy' });
    const request: PredictRequest = { path: 'a.ts', text, cursor: text.indexOf('v5'), events: [] };
    expect((await v1.warm(request)).promptTokens).toBe(nativeFormat.build(request, tok).tokens.length);
  });

  it('does nothing once aborted', async () => {
    const model = lm();
    const predictor = new ModelPredictor({ model, tokenizer: tok3, format: v3, alignedPositions: true });
    await expect(predictor.warm(paused, { signal: { aborted: true, addEventListener: () => undefined, removeEventListener: () => undefined } })).rejects.toThrow(/abort/i);
    expect(model.forwards).toBe(0);
  });
});
