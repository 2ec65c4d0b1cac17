// The in-process Node predictor over the test model: it runs on the node
// backend and reuses the KV cache from one request to the next.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe.skipIf(!hasTestModel)('createModelPredictor with a draft', () => {
  it('refuses a draft that reads another prompt format, naming both; a matching one loads', async () => {
    // The same weights, but a config claiming the v2 format: its prompts carry token ids a v1 draft never saw.
    const dir = mkdtempSync(join(tmpdir(), 'nextedit-v2-'));
    cpSync(testModel, dir, { recursive: true });
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    config.nextedit = { ...config.nextedit, prompt_format: 'native@2' };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    await expect(createModelPredictor({ model: dir, draft: testModel })).rejects.toThrow(
      /draft .* reads native@1 with 4096 tokens, but .* reads native@2 with 4096: a draft must share the model's prompt format and vocabulary/,
    );
    const same = await createModelPredictor({ model: testModel, draft: testModel });
    expect(same.draft?.promptFormat).toBe('native@1');
    await same.dispose();
    // Loaded after the main model: the predictor answers at once, and the misfit is draftReady's to report.
    const later = await createModelPredictor({ model: dir, draft: testModel, draftLater: true });
    expect(later.draft).toBeUndefined();
    await later.predictor.predict(request);
    expect(later.predictor.lastStats?.backend).toBe('node');
    await expect(later.draftReady).rejects.toThrow(/a draft must share the model's prompt format and vocabulary/);
    expect(later.draft).toBeUndefined();
    await later.dispose();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('draftLater: the draft joins once loaded, and decodes beside the main model', async () => {
    const later = await createModelPredictor({ model: testModel, draft: testModel, draftLater: true });
    await later.draftReady;
    expect(later.draft?.promptFormat).toBe('native@1');
    const drafted = later.draft!.lm;
    await later.predictor.predict(request);
    // The draft's own cache holds a prompt: it ran.
    expect(drafted.length).toBeGreaterThan(0);
    await later.dispose();
  }, 60_000);
});
