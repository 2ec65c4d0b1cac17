import type { EditPrediction, PredictOptions, PredictRequest, Predictor, PredictionStats } from '@nextedit/core';

/**
 * The predictor the editor holds for its whole life: it forwards to the active
 * one, so a model that fails to load never replaces the one that works, and
 * it reports every finished prediction to the stats panel.
 */
export class SwitchPredictor implements Predictor {
  last?: EditPrediction;
  constructor(public active: Predictor, private onResult: (stats: PredictionStats, p: EditPrediction) => void) {}

  async predict(request: PredictRequest, options?: PredictOptions): Promise<EditPrediction | null> {
    const p = await this.active.predict(request, options);
    if (p) {
      this.last = p;
      this.onResult(p.stats, p);
    }
    return p;
  }
}
