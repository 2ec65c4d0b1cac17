// Keeps the token sequence a CausalLM's KV cache holds, so a new prompt only
// forwards what differs from the previous one.
import type { AbortSignalLike, CausalLM, Logits } from '../types.js';
import { throwIfAborted } from './abort.js';

export interface PrefillResult {
  cachedTokens: number;
  forwardPasses: number;
  /** Logits of the last prompt position. */
  last: Float32Array;
}

export class PrefixCache {
  private held: number[] = [];

  constructor(readonly model: CausalLM) {}

  /** Tokens the model's KV cache holds, in sync with `model.length`. */
  get tokens(): readonly number[] {
    return this.held;
  }

  async prefill(prompt: number[], signal?: AbortSignalLike): Promise<PrefillResult> {
    if (prompt.length === 0) throw new Error('PrefixCache.prefill: empty prompt');
    throwIfAborted(signal);
    // Someone else moved the model: trust nothing it holds.
    if (this.model.length !== this.held.length) await this.truncate(0);
    let common = 0;
    const limit = Math.min(prompt.length, this.held.length);
    while (common < limit && prompt[common] === this.held[common]) common++;
    // Fully cached: re-forward the last token to get its logits.
    if (common === prompt.length) common--;
    await this.truncate(common);
    const logits = await this.append(prompt.slice(common), signal);
    const v = logits.vocabSize;
    const row = logits.rows - 1;
    return { cachedTokens: common, forwardPasses: 1, last: logits.data.slice(row * v, row * v + v) };
  }

  /** Forward `tokens` after the held ones; on failure the cache is left as before. */
  async append(tokens: number[], signal?: AbortSignalLike): Promise<Logits> {
    const before = this.held.length;
    try {
      const logits = await this.model.forward(tokens, signal);
      if (logits.rows !== tokens.length) throw new Error(`forward returned ${logits.rows} rows for ${tokens.length} tokens`);
      this.held.push(...tokens);
      return logits;
    } catch (error) {
      if (this.model.length > before) await this.model.truncate(before);
      if (this.model.length !== before) {
        this.held = [];
        await this.model.truncate(0);
      }
      throw error;
    }
  }

  /** Roll the model back to its first `length` tokens. */
  async truncate(length: number): Promise<void> {
    if (length < 0 || length > this.held.length) throw new RangeError(`truncate(${length}) outside 0..${this.held.length}`);
    if (this.model.length !== length) await this.model.truncate(length);
    this.held.length = length;
  }
}
