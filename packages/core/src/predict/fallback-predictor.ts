// A predictor that asks a second one when the first cannot answer: e.g. the
// model, then the rule baseline while the model loads, after it failed, or
// (optionally) when it holds back an unsure guess.
import type { EditPrediction, PredictOptions, PredictRequest, Predictor, PredictorStatus } from '../types.js';

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

  async predict(request: PredictRequest, options: PredictOptions = {}): Promise<EditPrediction | null> {
    const started = Date.now();
    const state = this.primary.status?.().state;
    if (state === 'loading' || state === 'error' || state === 'idle') return this.fallback.predict(request, options);
    let first: EditPrediction | null;
    try {
      first = await this.primary.predict(request, options);
    } catch (error) {
      if ((error as Error)?.name === 'AbortError' || options.signal?.aborted) throw error;
      return this.fallback.predict(request, options);
    }
    // A superseded request stays cancelled: no fallback work for it.
    if (first || options.signal?.aborted || this.options.whenHeldBack === false) return first;
    const second = await this.fallback.predict(request, options);
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
