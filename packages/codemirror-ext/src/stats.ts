import { StateEffect, StateField, type EditorState } from '@codemirror/state';
import { keptRate, percentile, type PredictionStats } from '@nextedit/core';
import { clearSuggestion, showSuggestion, suggestionField } from './state.js';

export const recordLatency = StateEffect.define<PredictionStats>();

export interface NextEditStats {
  shown: number;
  accepted: number;
  rejected: number;
  /** accepted / (accepted + rejected); 0 before any decision. */
  acceptanceRate: number;
  latencyP50: number;
  latencyP95: number;
  /** Mean share of accepted changes still in the document now (core's keptRate); undefined before any accept. */
  keptRate?: number;
  /** Stats of the last completed prediction. */
  last?: PredictionStats;
}

/** `accepts`: documents before/after recent accepts, for the kept rate against the current document. */
interface StatsValue { shown: number; accepted: number; rejected: number; latencies: number[]; last?: PredictionStats; accepts?: { original: string; predicted: string }[] }

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export const statsField = StateField.define<StatsValue>({
  create: () => ({ shown: 0, accepted: 0, rejected: 0, latencies: [] }),
  update(v, tr) {
    const before = tr.startState.field(suggestionField, false);
    const after = tr.state.field(suggestionField, false);
    for (const eff of tr.effects) {
      if (eff.is(recordLatency)) v = { ...v, latencies: [...v.latencies.slice(-199), eff.value.latencyMs], last: eff.value };
      else if (eff.is(clearSuggestion) && before) {
        if (eff.value === 'accept') {
          const accept = { original: tr.startState.doc.toString(), predicted: tr.state.doc.toString() };
          v = { ...v, accepted: v.accepted + 1, accepts: [...(v.accepts ?? []).slice(-19), accept] };
        }
        if (eff.value === 'reject') v = { ...v, rejected: v.rejected + 1 };
      }
    }
    // A suggestion counts as shown once, when a new key first appears.
    if (after && after.key !== before?.key && tr.effects.some((e) => e.is(showSuggestion))) v = { ...v, shown: v.shown + 1 };
    return v;
  },
});

export function nextEditStats(state: EditorState): NextEditStats {
  const v = state.field(statsField, false) ?? { shown: 0, accepted: 0, rejected: 0, latencies: [] };
  const decided = v.accepted + v.rejected;
  return {
    shown: v.shown, accepted: v.accepted, rejected: v.rejected,
    acceptanceRate: decided ? v.accepted / decided : 0,
    latencyP50: percentile(v.latencies, 50), latencyP95: percentile(v.latencies, 95),
    ...(v.last ? { last: v.last } : {}),
    ...(v.accepts?.length ? { keptRate: mean(v.accepts.map((a) => keptRate(a.original, a.predicted, state.doc.toString()))) } : {}),
  };
}
