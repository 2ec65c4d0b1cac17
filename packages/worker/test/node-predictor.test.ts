// The in-process Node predictor over the test model returns a prediction.
import { describe, expect, it } from 'vitest';
import { createModelPredictor, createNodePredictor } from '../src/node/index.js';
import { hasTestModel, testModel } from './model-dir.js';

describe.skipIf(!hasTestModel)('createNodePredictor', () => {
  it('predicts with stats from the node backend and reuses the KV cache on the next request', async () => {
    const p = await createNodePredictor({ model: testModel, mode: 'speculative' });
    const request = { path: 'src/a.ts', text: 'function add(a, b) {\n  return a + b;\n}\n', cursor: 20, events: [] };
    const first = await p.predict(request);
    const second = await p.predict({ ...request, text: request.text + '\n', cursor: 21 });
    // Random weights may or may not propose an edit; when they do, stats are real.
    for (const r of [first, second]) if (r) expect(r.stats.backend).toBe('node');
    if (second) expect(second.stats.cachedTokens).toBeGreaterThan(0);
    expect(p.status?.()).toMatchObject({ state: 'ready', backend: 'node' });
    await p.dispose();
  }, 60_000);

  it('runs the model: the KV cache holds the prompt after a predict', async () => {
    const loaded = await createModelPredictor({ model: testModel, mode: 'greedy' });
    await loaded.predictor.predict({ path: 'a.py', text: 'x = 1\ny = 2\n', cursor: 5, events: [] });
    expect(loaded.main.lm.length).toBeGreaterThan(10);
    expect(loaded.main.promptFormat).toBe('native@1');
    await loaded.dispose();
  }, 60_000);
});
