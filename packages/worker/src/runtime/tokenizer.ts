// A core `Tokenizer` over transformers.js's tokenizer, loaded from a model
// folder (Hugging Face layout: tokenizer.json + tokenizer_config.json).
import { AutoTokenizer, PreTrainedTokenizer } from '@huggingface/transformers';
import type { Tokenizer } from '@nextedit/core';
import { allInOrder } from './all-in-order.js';
import { isPathOrUrl, readSourceJson } from './files.js';

export class TransformersTokenizer implements Tokenizer {
  readonly vocabSize: number;
  private readonly vocab: Map<string, number>;

  constructor(readonly inner: PreTrainedTokenizer) {
    this.vocab = inner.get_vocab();
    let max = -1;
    for (const id of this.vocab.values()) if (id > max) max = id;
    this.vocabSize = max + 1;
  }

  encode(text: string): number[] {
    // No BOS/EOS: prompts are built from segments and must concatenate exactly.
    return Array.from(this.inner.encode(text, { add_special_tokens: false }));
  }

  decode(ids: number[]): string {
    // transformers.js refuses an empty id list.
    if (ids.length === 0) return '';
    return this.inner.decode(ids, { skip_special_tokens: false });
  }

  tokenId(token: string): number | undefined {
    return this.vocab.get(token);
  }
}

/**
 * Load the tokenizer of a model: a local folder, a URL prefix, or (anything
 * else) a hub id resolved by transformers.js with its current `env`.
 */
export async function loadTokenizer(source: string): Promise<Tokenizer> {
  if (!isPathOrUrl(source)) return new TransformersTokenizer(await AutoTokenizer.from_pretrained(source));
  const [json, config] = await allInOrder([
    readSourceJson(source, 'tokenizer.json'),
    readSourceJson(source, 'tokenizer_config.json'),
  ]);
  return new TransformersTokenizer(new PreTrainedTokenizer(json, config));
}
