// A predictor that asks a second one when the first cannot answer: e.g. the
// model, then the rule baseline while the model loads, after it failed, or
// (optionally) when it holds back an unsure guess.
import type { EditPrediction, PredictOptions, PredictRequest, Predictor, PredictorStatus } from '../types.js';
import { isAbortError } from '../abort.js';
import { isSuggestable } from '../policy/index.js';

export interface FallbackOptions {
  /**
   * Also ask the fallback when the primary answers null (held back as unsure).
   * Default true. False keeps the primary's calibrated precision: the fallback
   * then speaks only while the primary is not ready or when it throws.
   */
  whenHeldBack?: boolean;
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
    let first: EditPrediction | null;
    try {
      first = allowed(await this.primary.predict(request, guarded));
    } catch (error) {
      if (isAbortError(error) || options.signal?.aborted) throw error;
      return allowed(await this.fallback.predict(request, guarded));
    }
    // A superseded request stays cancelled: no fallback work for it.
    if (first || options.signal?.aborted || this.options.whenHeldBack === false) return first;
    const second = allowed(await this.fallback.predict(request, guarded));
    // The user waited for both: report the whole time.
    return second && { ...second, stats: { ...second.stats, latencyMs: Date.now() - started } };
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
