// A predictor that asks a second one when the first cannot answer: e.g. the
// model, then the rule baseline while the model loads, after it failed, or
// (optionally) when it holds back an unsure guess. Both run at once, so a fast
// fallback is never held back by a slow primary: its answer is streamed as a
// preview while the primary works, and replaced when the primary answers.
import type { AbortSignalLike, EditPrediction, PredictOptions, PredictRequest, Predictor, PredictorStatus } from '../types.js';
import { isAbortError } from '../abort.js';
import { isSuggestable } from '../policy/index.js';

export interface FallbackOptions {
  /**
   * Also ask the fallback when the primary answers null (held back as unsure).
   * Default true. False keeps the primary's calibrated precision: the fallback
   * then speaks only while the primary is not ready or when it throws.
   */
  whenHeldBack?: boolean;
  /**
   * Ask the fallback at the same time as the primary and stream its answer
   * (through `onPartial`) while the primary works. Default true; needs
   * `whenHeldBack`. False asks the fallback only after the primary answered null.
   */
  eager?: boolean;
}

export class FallbackPredictor implements Predictor {
  constructor(
    readonly primary: Predictor,
    readonly fallback: Predictor,
    readonly options: FallbackOptions = {},
  ) {}

  /** Either predictor's answer, partials included, under the suggestion policy: one it forbids counts as none. */
  async predict(request: PredictRequest, options: PredictOptions = {}): Promise<EditPrediction | null> {
    const started = Date.now();
    const allowed = (p: EditPrediction | null) => (p && isSuggestable(request, p.edits, p.jump?.path) ? p : null);
    const onPartial = options.onPartial;
    const guarded: PredictOptions = onPartial ? { ...options, onPartial: (p) => { if (allowed(p)) onPartial(p); } } : options;
    const state = this.primary.status?.().state;
    if (state === 'loading' || state === 'error' || state === 'idle') return allowed(await this.fallback.predict(request, guarded));
    const eager = this.options.whenHeldBack !== false && this.options.eager !== false && !options.signal?.aborted;
    let primaryDone = false;
    // Started before the primary so a synchronous fallback (rules) answers first.
    const early = eager ? this.preview(request, guarded, () => primaryDone) : undefined;
    // Its error matters only if we end up waiting for it.
    early?.catch(() => undefined);
    let first: EditPrediction | null;
    try {
      first = allowed(await this.primary.predict(request, guarded));
    } catch (error) {
      primaryDone = true;
      if (isAbortError(error) || options.signal?.aborted) throw error;
      return allowed(early ? await early : await this.fallback.predict(request, guarded));
    }
    primaryDone = true;
    // A superseded request stays cancelled: no fallback work for it.
    if (first || options.signal?.aborted || this.options.whenHeldBack === false) return first;
    const second = allowed(early ? await early : await this.fallback.predict(request, guarded));
    // The user waited for both: report the whole time.
    return second && { ...second, stats: { ...second.stats, latencyMs: Date.now() - started } };
  }

  /** The fallback's answer, streamed (through the policy-guarded onPartial) when it comes before the primary's. */
  private async preview(request: PredictRequest, options: PredictOptions, primaryDone: () => boolean): Promise<EditPrediction | null> {
    let answer: EditPrediction | null;
    try {
      answer = await this.fallback.predict(request, { ...options, onPartial: undefined });
    } catch (error) {
      if (isAbortError(error)) return null;
      throw error;
    }
    if (answer && !primaryDone() && !options.signal?.aborted) options.onPartial?.(answer);
    return answer;
  }

  /** Only the primary prepares (the fallback is the cheap one), and only once it is ready. */
  async warm(request: PredictRequest, options?: { signal?: AbortSignalLike }): Promise<void> {
    const state = this.primary.status?.().state ?? 'ready';
    if (state === 'ready') await this.primary.warm?.(request, options);
  }

  /** The primary's status: it is the one that loads, fails and restarts. */
  status(): PredictorStatus {
    return this.primary.status?.() ?? { state: 'ready' };
  }

  onStatus(listener: (status: PredictorStatus) => void): () => void {
    return this.primary.onStatus?.(listener) ?? (() => undefined);
  }

  /** Disposes only the primary; the fallback is usually shared (rules). */
  async dispose(): Promise<void> {
    await this.primary.dispose?.();
  }
}
