// A predictor that asks a second one when the first has nothing: e.g. the
// model, then the rule baseline when the model holds back an unsure guess.
import type { EditPrediction, PredictOptions, PredictRequest, Predictor, PredictorStatus } from '../types.js';

export class FallbackPredictor implements Predictor {
  constructor(
    readonly primary: Predictor,
    readonly fallback: Predictor,
  ) {}

  async predict(request: PredictRequest, options: PredictOptions = {}): Promise<EditPrediction | null> {
    const started = Date.now();
    const first = await this.primary.predict(request, options);
    // A superseded request stays cancelled: no fallback work for it.
    if (first || options.signal?.aborted) return first;
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
