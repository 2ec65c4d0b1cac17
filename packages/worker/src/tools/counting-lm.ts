// A CausalLM wrapper that counts forward passes and, per request, how much of
// the prompt the KV cache already held. The predictor returns no stats when it
// predicts nothing, so the bench measures at the model instead.
import type { AbortSignalLike, CausalLM, Logits } from '@nextedit/core';

export class CountingLM implements CausalLM {
  forwardPasses = 0;
  promptTokens = 0;
  cachedTokens = 0;
  private awaitingPrefill = false;

  constructor(readonly inner: CausalLM) {}

  get length(): number {
    return this.inner.length;
  }

  /** Call before each predict: its first forward pass is the prompt's prefill. */
  beginRequest(): void {
    this.awaitingPrefill = true;
  }

  forward(tokens: number[], signal?: AbortSignalLike, positions?: number[]): Promise<Logits> {
    if (this.awaitingPrefill) {
      // The prefix cache truncates to the common prefix, then feeds the rest.
      this.cachedTokens += this.inner.length;
      this.promptTokens += this.inner.length + tokens.length;
      this.awaitingPrefill = false;
    }
    this.forwardPasses++;
    return this.inner.forward(tokens, signal, positions);
  }

  truncate(length: number): Promise<void> | void {
    return this.inner.truncate(length);
  }
}
