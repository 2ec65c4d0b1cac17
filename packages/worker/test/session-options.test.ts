// Session options: Node's threads, and which q8 models are unpacked to fp32 weights at load.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decoderParameters, sessionOptions, unpacksQ8, UNPACK_Q8_MAX_PARAMETERS } from '../src/runtime/session-options.js';

const student = JSON.parse(readFileSync(fileURLToPath(new URL('../../../models/nextedit-student/config.json', import.meta.url)), 'utf8'));
// Qwen2.5-0.5B's shape (the size README's "Use a larger model" converts).
const qwen05 = {
  vocab_size: 151936, hidden_size: 896, num_hidden_layers: 24, intermediate_size: 4864,
  num_attention_heads: 14, num_key_value_heads: 2, tie_word_embeddings: true,
};

describe('session options', () => {
  it('counts a decoder\'s weights from its config (the student: 2.75M; Qwen2.5-0.5B: ~494M)', () => {
    expect(decoderParameters(student)).toBe(2_752_512);
    expect(decoderParameters(qwen05)! / 1e6).toBeCloseTo(494, -1);
    expect(decoderParameters({ ...qwen05, tie_word_embeddings: false })! - decoderParameters(qwen05)!).toBe(151936 * 896);
    expect(decoderParameters({ hidden_size: 8 })).toBeUndefined();
  });

  it('unpacks q8 weights only for small models on WASM, and never for other dtypes', () => {
    expect(unpacksQ8(student)).toBe(true);
    expect(unpacksQ8(qwen05)).toBe(false);
    expect(unpacksQ8({})).toBe(false);
    expect(decoderParameters(student)!).toBeLessThan(UNPACK_Q8_MAX_PARAMETERS);
    const unpack = { extra: { session: { disable_quant_qdq: '1' } } };
    expect(sessionOptions('wasm', 'q8', 2, student)).toEqual(unpack);
    expect(sessionOptions('webgpu', 'q8', 1, qwen05)).toEqual({});
    expect(sessionOptions('wasm', 'fp32', 2, student)).toEqual({});
    expect(sessionOptions('node', 'q8', 1, student)).toEqual({ intraOpNumThreads: 1 });
    expect(sessionOptions('webgpu', 'q8', 1, student)).toEqual({});
    expect(sessionOptions('node', 'q4', 3, student)).toEqual({ intraOpNumThreads: 3 });
  });
});
