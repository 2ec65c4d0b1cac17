import { describe, expect, it } from 'vitest';
import { abortError } from '../abort.js';
import { unifiedDiff } from '../history/diff.js';
import type { EditPrediction, PredictOptions, PredictRequest, Predictor, PredictorStatus } from '../types.js';
import { FallbackPredictor } from './fallback-predictor.js';

// core compiles without DOM or Node types; the tests run where timers exist.
declare function setTimeout(callback: (...args: unknown[]) => void, ms?: number): unknown;

const request: PredictRequest = { path: 'a.ts', text: 'let a = 1;\n', cursor: 3, events: [] };
const prediction = (insert: string, backend: string): EditPrediction => ({
  edits: [{ from: 0, to: 0, insert }],
  stats: { latencyMs: 1, promptTokens: 0, cachedTokens: 0, forwardPasses: 0, generatedTokens: 0, draftProposed: 0, draftAccepted: 0, backend },
});

class Scripted implements Predictor {
  calls = 0;
  disposed = false;
  constructor(private readonly answer: EditPrediction | null) {}
  async predict(): Promise<EditPrediction | null> {
    this.calls++;
    return this.answer;
  }
  status(): PredictorStatus {
    return { state: 'ready', backend: 'wasm' };
  }
  dispose() {
    this.disposed = true;
  }
}

describe('FallbackPredictor', () => {
  it('returns the primary prediction; not eager, it does not ask the fallback', async () => {
    const rules = new Scripted(prediction('r', 'rules'));
    const p = await new FallbackPredictor(new Scripted(prediction('m', 'wasm')), rules, { eager: false }).predict(request);
    expect(p?.stats.backend).toBe('wasm');
    expect(rules.calls).toBe(0);
  });

  it('streams the fallback at once while a slow primary works, then answers with the primary', async () => {
    let release!: (p: EditPrediction | null) => void;
    const slow: Predictor = { predict: () => new Promise((resolve) => { release = resolve; }) };
    const partials: EditPrediction[] = [];
    const pending = new FallbackPredictor(slow, new Scripted(prediction('r', 'rules'))).predict(request, { onPartial: (p) => partials.push(p) });
    await new Promise((r) => setTimeout(r, 0));
    // The rules answered while the primary is still working.
    expect(partials.map((p) => p.stats.backend)).toEqual(['rules']);
    release(prediction('m', 'wasm'));
    expect((await pending)?.stats.backend).toBe('wasm');
  });

  it('answers with the streamed fallback when the primary holds back, asking it once', async () => {
    const rules = new Scripted(prediction('r', 'rules'));
    const partials: EditPrediction[] = [];
    const p = await new FallbackPredictor(new Scripted(null), rules).predict(request, { onPartial: (x) => partials.push(x) });
    expect(p?.stats.backend).toBe('rules');
    expect(rules.calls).toBe(1);
    expect(partials).toHaveLength(1);
  });

  it('streams nothing once the primary has answered first, and ignores a failing fallback it does not need', async () => {
    const partials: EditPrediction[] = [];
    const lateRules: Predictor = { predict: () => new Promise((r) => setTimeout(() => r(prediction('r', 'rules')), 20)) };
    const p = await new FallbackPredictor(new Scripted(prediction('m', 'wasm')), lateRules).predict(request, { onPartial: (x) => partials.push(x) });
    expect(p?.stats.backend).toBe('wasm');
    await new Promise((r) => setTimeout(r, 40));
    expect(partials).toEqual([]);
    const broken: Predictor = { predict: () => Promise.reject(new Error('rules broke')) };
    expect((await new FallbackPredictor(new Scripted(prediction('m', 'wasm')), broken).predict(request))?.stats.backend).toBe('wasm');
  });

  it('asks the fallback when the primary has nothing, timing both', async () => {
    const slow: Predictor = {
      async predict() {
        for (const until = Date.now() + 30; Date.now() < until; ) await Promise.resolve();
        return null;
      },
    };
    const p = await new FallbackPredictor(slow, new Scripted(prediction('r', 'rules'))).predict(request);
    expect(p?.edits[0].insert).toBe('r');
    expect(p?.stats.latencyMs).toBeGreaterThanOrEqual(25);
  });

  it('does not fall back for an aborted request', async () => {
    const rules = new Scripted(prediction('r', 'rules'));
    const aborted = { aborted: true, addEventListener() {}, removeEventListener() {} };
    expect(await new FallbackPredictor(new Scripted(null), rules).predict(request, { signal: aborted })).toBeNull();
    expect(rules.calls).toBe(0);
  });

  it('reports and disposes the primary only', async () => {
    const primary = new Scripted(null);
    const rules = new Scripted(null);
    const f = new FallbackPredictor(primary, rules);
    expect(f.status().backend).toBe('wasm');
    await f.dispose();
    expect(primary.disposed).toBe(true);
    expect(rules.disposed).toBe(false);
  });
});

describe('FallbackPredictor when the primary cannot answer', () => {
  it('asks the fallback at once while the primary loads or has failed, without calling it', async () => {
    for (const state of ['loading', 'error', 'idle'] as const) {
      const model = new Scripted(prediction('m', 'wasm'));
      model.status = () => ({ state, backend: 'wasm' });
      const p = await new FallbackPredictor(model, new Scripted(prediction('r', 'rules'))).predict(request);
      expect(p?.stats.backend).toBe('rules');
      expect(model.calls).toBe(0);
    }
  });

  it('falls back when the primary throws, but not when it was aborted', async () => {
    const broken: Predictor = { predict: () => Promise.reject(new Error('OrtRun failed')) };
    expect((await new FallbackPredictor(broken, new Scripted(prediction('r', 'rules'))).predict(request))?.stats.backend).toBe('rules');
    const aborted: Predictor = { predict: () => Promise.reject(abortError('Aborted')) };
    await expect(new FallbackPredictor(aborted, new Scripted(prediction('r', 'rules'))).predict(request)).rejects.toThrow('Aborted');
  });

  it('never answers an edit that undoes what the user just typed, nor streams one', async () => {
    // The user typed `c` into `ab`; both predictors want to delete it again.
    const typed: PredictRequest = { path: 'src/demo.js', text: 'let abc = 1;', cursor: 7, events: [unifiedDiff('src/demo.js', 'let ab = 1;', 'let abc = 1;')] };
    const undo: EditPrediction = { ...prediction('', 'wasm'), edits: [{ from: 6, to: 7, insert: '' }] };
    const streaming: Predictor = {
      async predict(_request: PredictRequest, options?: PredictOptions) {
        options?.onPartial?.(undo);
        return undo;
      },
    };
    const partials: EditPrediction[] = [];
    const rules = new Scripted({ ...undo, stats: { ...undo.stats, backend: 'rules' } });
    expect(await new FallbackPredictor(streaming, rules).predict(typed, { onPartial: (p) => partials.push(p) })).toBeNull();
    expect(partials).toEqual([]);
    // Held back like any answer it may not show: the fallback was asked.
    expect(rules.calls).toBe(1);
    // An edit that does not restore the old text passes.
    const other = { ...prediction('x', 'wasm'), edits: [{ from: 0, to: 0, insert: '// ' }] };
    expect(await new FallbackPredictor(new Scripted(other), rules).predict(typed)).toBe(other);
  });

  it('keeps a held-back answer held back with whenHeldBack: false', async () => {
    const rules = new Scripted(prediction('r', 'rules'));
    expect(await new FallbackPredictor(new Scripted(null), rules, { whenHeldBack: false }).predict(request)).toBeNull();
    expect(rules.calls).toBe(0);
  });
});

describe('FallbackPredictor.warm', () => {
  it('warms the primary once it is ready, never the fallback', async () => {
    let state: PredictorStatus['state'] = 'loading';
    const warmed: string[] = [];
    const primary: Predictor = {
      predict: async () => null,
      status: () => ({ state }),
      warm: async (r) => void warmed.push(`primary ${r.path}`),
    };
    const fallback: Predictor = { predict: async () => null, warm: async () => void warmed.push('fallback') };
    const p = new FallbackPredictor(primary, fallback);
    await p.warm(request);
    expect(warmed).toEqual([]);
    state = 'ready';
    await p.warm(request);
    expect(warmed).toEqual(['primary a.ts']);
    // A primary with nothing to prepare: warm is a no-op, not an error.
    await new FallbackPredictor(new Scripted(null), fallback).warm(request);
    expect(warmed).toEqual(['primary a.ts']);
  });
});
