// The in-process Node predictor over the test model: it runs on the node
// backend and reuses the KV cache from one request to the next.
import { describe, expect, it } from 'vitest';
import { createModelPredictor, createNodePredictor } from '../src/node/index.js';
import { hasTestModel, testModel } from './model-dir.js';

const request = { path: 'src/a.ts', text: 'function add(a, b) {\n  return a + b;\n}\n', cursor: 20, events: [] };

describe.skipIf(!hasTestModel)('createNodePredictor', () => {
  it('answers (an edit or nothing: the weights are random) and reports itself ready on the node backend', async () => {
    const p = await createNodePredictor({ model: testModel, mode: 'speculative' });
    const r = await p.predict(request);
    expect(r === null || r.stats.backend === 'node').toBe(true);
    expect(p.status?.()).toMatchObject({ state: 'ready', backend: 'node' });
    await p.dispose();
  }, 60_000);

  it('predicts with stats from the node backend and reuses the KV cache on the next request', async () => {
    // lastStats: a held-back request reports its stats too, so these hold whatever the weights answer.
    const loaded = await createModelPredictor({ model: testModel, mode: 'speculative' });
    await loaded.predictor.predict(request);
    expect(loaded.predictor.lastStats?.backend).toBe('node');
    await loaded.predictor.predict({ ...request, text: request.text + '\n', cursor: 21 });
    expect(loaded.predictor.lastStats?.backend).toBe('node');
    expect(loaded.predictor.lastStats?.cachedTokens).toBeGreaterThan(0);
    await loaded.dispose();
  }, 60_000);

  it('runs the model: the KV cache holds the prompt after a predict', async () => {
    const loaded = await createModelPredictor({ model: testModel, mode: 'greedy' });
    await loaded.predictor.predict({ path: 'a.py', text: 'x = 1\ny = 2\n', cursor: 5, events: [] });
    expect(loaded.main.lm.length).toBeGreaterThan(10);
    expect(loaded.main.promptFormat).toBe('native@1');
    await loaded.dispose();
  }, 60_000);
});
