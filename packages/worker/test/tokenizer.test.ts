import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTokenizer } from '../src/index.js';

const dir = fileURLToPath(new URL('../../../models/tokenizer', import.meta.url));

describe('loadTokenizer', () => {
  it('encodes without BOS/EOS, maps literal special tokens to their ids, and round-trips', async () => {
    const tok = await loadTokenizer(dir);
    const cursor = tok.tokenId('<|cursor|>');
    expect(cursor).toBeTypeOf('number');
    expect(tok.encode('<|cursor|>')).toEqual([cursor]);
    const text = 'const a = 1;<|cursor|>\n<|/region|>';
    const ids = tok.encode(text);
    expect(ids).toContain(tok.tokenId('<|/region|>'));
    expect(ids[0]).not.toBe(tok.tokenId('<|endoftext|>'));
    expect(tok.decode(ids)).toBe(text);
    expect(tok.decode([])).toBe('');
    expect(tok.vocabSize).toBeGreaterThan(Math.max(...ids));
    expect(tok.tokenId('<|not-a-token|>')).toBeUndefined();
  });

  it('names the missing file when the folder has no tokenizer', async () => {
    await expect(loadTokenizer(dir + '/nope')).rejects.toThrow(/tokenizer\.json: file not found/);
  });
});
