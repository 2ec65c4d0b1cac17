import { describe, expect, it } from 'vitest';
import { CharTokenizer } from '../testing/char-tokenizer.js';
import { MemoTokenizer } from './memo-tokenizer.js';
import type { Tokenizer } from '../types.js';

describe('MemoTokenizer', () => {
  it('encodes as its tokenizer does, calling it once per recent text, and hands out copies', () => {
    const inner = new CharTokenizer(['<|x|>']);
    let calls = 0;
    const counting: Tokenizer = { ...inner, encode: (t) => (calls++, inner.encode(t)), decode: (i) => inner.decode(i), tokenId: (t) => inner.tokenId(t), vocabSize: inner.vocabSize };
    const memo = new MemoTokenizer(counting, 2);
    const a = memo.encode('ab<|x|>c');
    expect(a).toEqual(inner.encode('ab<|x|>c'));
    a.push(99);
    expect(memo.encode('ab<|x|>c')).toEqual(inner.encode('ab<|x|>c'));
    expect(calls).toBe(1);
    memo.encode('d');
    memo.encode('ab<|x|>c'); // used again: now the most recent
    memo.encode('e'); // forgets 'd', the least recently used
    memo.encode('ab<|x|>c');
    expect(calls).toBe(3);
    memo.encode('d');
    expect(calls).toBe(4);
    expect(memo.decode(inner.encode('d'))).toBe('d');
    expect(memo.tokenId('<|x|>')).toBe(inner.tokenId('<|x|>'));
    expect(memo.vocabSize).toBe(inner.vocabSize);
    expect(() => new MemoTokenizer(inner, 0)).toThrow(/capacity/);
  });
});
