// The transformers.js backend against a real ONNX model: the KV cache must
// give the same logits as recomputing, across truncation and re-extension.
import { describe, expect, it } from 'vitest';
import { loadModel } from '../src/index.js';
import type { Logits } from '@nextedit/core';
import { hasTestModel, testModel } from './model-dir.js';

function row(l: Logits, r: number): Float32Array {
  return l.data.slice(r * l.vocabSize, (r + 1) * l.vocabSize);
}

function expectClose(a: Float32Array, b: Float32Array): void {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  expect(max).toBeLessThan(1e-4);
}

const tokens = [11, 250, 37, 1020, 7, 99, 400, 12, 13, 2048, 5, 77];

describe.skipIf(!hasTestModel)('TransformersCausalLM', () => {
  it('cached forward equals an uncached forward over the whole sequence', async () => {
    const { lm, backend } = await loadModel(testModel);
    expect(backend).toBe('node');
    const full = await lm.forward(tokens);
    expect(full.rows).toBe(tokens.length);
    await lm.truncate(0);
    expect(lm.length).toBe(0);
    await lm.forward(tokens.slice(0, 5));
    const rest = await lm.forward(tokens.slice(5));
    expect(lm.length).toBe(tokens.length);
    for (let r = 0; r < rest.rows; r++) expectClose(row(rest, r), row(full, r + 5));
    await lm.dispose();
  });

  it('truncate then re-extend with different tokens equals recomputing', async () => {
    const { lm } = await loadModel(testModel);
    const other = [...tokens.slice(0, 6), 3000, 3001, 3002];
    await lm.forward(tokens);
    await lm.truncate(6);
    expect(lm.length).toBe(6);
    const ext = await lm.forward(other.slice(6));
    const { lm: fresh } = await loadModel(testModel);
    const ref = await fresh.forward(other);
    for (let r = 0; r < 3; r++) expectClose(row(ext, r), row(ref, r + 6));
    // The last row differs from the pre-truncation run: the cache really dropped entries.
    await lm.dispose();
    await fresh.dispose();
  });

  it('feeds the given rotary positions: explicit 0..n equals the default, others change the logits', async () => {
    const { lm } = await loadModel(testModel);
    const seq = tokens.map((_, i) => i);
    const byDefault = await lm.forward(tokens);
    await lm.truncate(0);
    const explicit = await lm.forward(tokens, undefined, seq);
    for (let r = 0; r < tokens.length; r++) expectClose(row(explicit, r), row(byDefault, r));
    // Restart the last three at positions 2, 3, 4 (as an aligned answer does): their logits move.
    await lm.truncate(tokens.length - 3);
    const moved = await lm.forward(tokens.slice(-3), undefined, [2, 3, 4]);
    const diff = Math.max(...row(moved, 2).map((v, i) => Math.abs(v - row(byDefault, tokens.length - 1)[i]!)));
    expect(diff).toBeGreaterThan(1e-3);
    await expect(lm.forward([1, 2], undefined, [0])).rejects.toThrow(/1 positions for 2 tokens/);
    await lm.dispose();
  });

  it('rejects an aborted forward with an AbortError', async () => {
    const { lm } = await loadModel(testModel);
    const ac = new AbortController();
    ac.abort();
    await expect(lm.forward([1, 2], ac.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(lm.length).toBe(0);
    await lm.dispose();
  });
});
