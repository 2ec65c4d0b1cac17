// Keeps the token sequence a CausalLM's KV cache holds (and each token's
// rotary position), so a new prompt only forwards what differs from the
// previous one.
import type { AbortSignalLike, CausalLM, Logits } from '../types.js';
import { continuePositions, placeAfter, sequentialPositions, type NextPosition } from '../prompt/positions.js';
import { throwIfAborted } from '../abort.js';

export interface PrefillResult {
  cachedTokens: number;
  forwardPasses: number;
  /** Logits of the last prompt position. */
  last: Float32Array;
}

export class PrefixCache {
  private held: number[] = [];
  private heldPositions: number[] = [];

  /** `alignedPositions`: feed prompts' own positions (the model was trained with them), not 0, 1, 2, ... */
  constructor(
    readonly model: CausalLM,
    readonly alignedPositions = false,
  ) {}

  /** Tokens the model's KV cache holds, in sync with `model.length`. */
  get tokens(): readonly number[] {
    return this.held;
  }

  /** Positions of the held tokens. */
  get positions(): readonly number[] {
    return this.heldPositions;
  }

  /**
   * `positions`: the prompt's aligned positions, used when this cache's model
   * wants them (else sequential); a token is reused only at the same position.
   */
  async prefill(prompt: number[], signal?: AbortSignalLike, positions?: readonly number[]): Promise<PrefillResult> {
    if (prompt.length === 0) throw new Error('PrefixCache.prefill: empty prompt');
    if (this.alignedPositions && positions?.length !== prompt.length) {
      throw new Error('PrefixCache.prefill: this model needs aligned positions, one per prompt token (the prompt format gave none)');
    }
    const pos = this.alignedPositions ? positions! : sequentialPositions(prompt.length);
    throwIfAborted(signal);
    // Someone else moved the model: trust nothing it holds.
    if (this.model.length !== this.held.length) await this.truncate(0);
    let common = this.commonPrefix(prompt, pos);
    // Fully cached: re-forward the last token to get its logits.
    if (common === prompt.length) common--;
    await this.truncate(common);
    const logits = await this.append(prompt.slice(common), signal, pos.slice(common));
    const v = logits.vocabSize;
    const row = logits.rows - 1;
    return { cachedTokens: common, forwardPasses: 1, last: logits.data.slice(row * v, row * v + v) };
  }

  /**
   * How many leading tokens of `prompt` the cache holds at the same positions
   * (`positions` as prefill takes them); 0 when someone else moved the model.
   */
  heldOf(prompt: readonly number[], positions?: readonly number[]): number {
    if (this.model.length !== this.held.length) return 0;
    return this.commonPrefix(prompt, this.alignedPositions ? positions ?? [] : sequentialPositions(prompt.length));
  }

  private commonPrefix(prompt: readonly number[], pos: readonly number[]): number {
    let common = 0;
    const limit = Math.min(prompt.length, this.held.length);
    while (common < limit && prompt[common] === this.held[common] && pos[common] === this.heldPositions[common]) common++;
    return common;
  }

  /**
   * Forward `tokens` after the held ones (at `positions`, default one apart
   * after the last held); on failure the cache is left as before.
   */
  async append(tokens: number[], signal?: AbortSignalLike, positions?: readonly number[]): Promise<Logits> {
    const before = this.held.length;
    const pos = positions ? [...positions] : continuePositions(this.heldPositions, tokens.length);
    if (pos.length !== tokens.length) throw new Error(`append: ${pos.length} positions for ${tokens.length} tokens`);
    try {
      const logits = await this.model.forward(tokens, signal, pos);
      if (logits.rows !== tokens.length) throw new Error(`forward returned ${logits.rows} rows for ${tokens.length} tokens`);
      this.held.push(...tokens);
      this.heldPositions.push(...pos);
      return logits;
    } catch (error) {
      if (this.model.length > before) await this.model.truncate(before);
      if (this.model.length !== before) {
        this.held = [];
        this.heldPositions = [];
        await this.model.truncate(0);
      }
      throw error;
    }
  }

  /**
   * Positions for `tokens` fed after the held ones as the prompt format
   * places them; undefined (append's default, one apart) when this model
   * takes sequential positions or the format has no placement.
   */
  placeNext(tokens: readonly number[], nextPosition?: NextPosition): number[] | undefined {
    if (!nextPosition || !this.alignedPositions) return undefined;
    return placeAfter(this.heldPositions[this.heldPositions.length - 1] ?? -1, tokens, nextPosition);
  }

  /** Roll the model back to its first `length` tokens. */
  async truncate(length: number): Promise<void> {
    if (length < 0 || length > this.held.length) throw new RangeError(`truncate(${length}) outside 0..${this.held.length}`);
    if (this.model.length !== length) await this.model.truncate(length);
    this.held.length = length;
    this.heldPositions.length = length;
  }
}
