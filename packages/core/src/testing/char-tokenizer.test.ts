import { describe, expect, it } from 'vitest';
import { CharTokenizer } from './char-tokenizer.js';

describe('CharTokenizer', () => {
  const tok = new CharTokenizer(['<|a|>', '<|ab|>', '<|end|>']);

  it('maps special tokens to their list index and round-trips text', () => {
    const text = 'x<|ab|>y<|a|>\u{1F600}\r\n<|end|><|zz|>';
    const ids = tok.encode(text);
    expect(ids.slice(0, 3)).toEqual([3 + 0x78, 1, 3 + 0x79]);
    expect(ids[3]).toBe(0);
    expect(tok.decode(ids)).toBe(text);
    // an unknown marker is plain characters
    expect(ids.length).toBe(1 + 1 + 1 + 1 + 2 + 2 + 1 + '<|zz|>'.length);
  });

  it('reports ids and vocab size', () => {
    expect(tok.tokenId('<|end|>')).toBe(2);
    expect(tok.tokenId('<|nope|>')).toBeUndefined();
    expect(tok.vocabSize).toBe(3 + 65536);
  });
});
