// The real worker in Chromium (Vite dev server, COOP/COEP, self-hosted ORT
// wasm, the test model served from /model/): WASM and WebGPU (SwiftShader).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, openChromiumPage, type ChromiumPage } from '../src/tools/chromium.js';
import { hasTestModel, testModel } from './model-dir.js';

const here = fileURLToPath(new URL('.', import.meta.url));

let chromium: ChromiumPage;
let page: Page;
/** Whole-file downloads of model files (status 200: not a Range probe, not from the cache), per path. */
const modelDownloads = new Map<string, number>();

describe.skipIf(!hasTestModel || !hasChromium)('worker in Chromium', () => {
  beforeAll(async () => {
    chromium = await openChromiumPage({
      root: join(here, 'browser'),
      serve: { '/model/': testModel },
      onPageError: (e) => console.error('page error:', e),
    });
    page = chromium.page;
    page.context().on('requestfinished', async (r) => {
      const path = new URL(r.url()).pathname;
      if (!path.startsWith('/model/') || (await r.response())?.status() !== 200) return;
      modelDownloads.set(path, (modelDownloads.get(path) ?? 0) + 1);
    });
    await page.waitForFunction(() => (window as unknown as { nx?: object }).nx !== undefined, undefined, { timeout: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
  });

  for (const device of ['webgpu', 'wasm'] as const) {
    it(`backend on ${device}: cached and rolled-back logits equal recomputed ones`, async () => {
      const r = (await page.evaluate((d) => (window as any).nx.lmCheck(d, 'fp32'), device)) as Record<string, unknown>;
      expect(r.error).toBeUndefined();
      // WebGPU may be unavailable (then WASM runs and says why); WASM is WASM.
      if (device === 'wasm') expect(r.backend).toBe('wasm');
      else expect(r.backend === 'webgpu' || typeof r.fallback === 'string').toBe(true);
      expect(r.splitDiff as number).toBeLessThan(1e-3);
      expect(r.cycleDiff as number).toBeLessThan(1e-3);
    }, 120_000);
  }

  it('WorkerPredictor predicts, cancels superseded and aborted requests, restarts a killed worker', async () => {
    const r = (await page.evaluate(() => (window as any).nx.predictorCheck('wasm'))) as any;
    // The page is cross-origin isolated and ORT's scripts carry COEP: asked for 2, its WASM runs threaded
    // (without COEP on /ort/ its thread workers are refused and loading never ends).
    expect(r.loaded.isolated).toBe(true);
    expect(r.loaded.threads).toBe(Math.min(2, r.loaded.cores));
    expect(r.first.ok).toBe(true);
    expect(r.warms[0].promptTokens).toBeGreaterThan(0);
    expect(r.warms[0].forwardPasses).toBe(1);
    expect(r.warms[1]).toMatchObject({ promptTokens: r.warms[0].promptTokens, cachedTokens: r.warms[0].promptTokens, forwardPasses: 0 });
    expect(r.stats.warmups).toBe(2);
    expect(r.burst.map((b: any) => b.ok)).toEqual([false, false, true]);
    expect(r.burst[0].name).toBe('AbortError');
    expect(r.abortedResult).toMatchObject({ ok: false, name: 'AbortError' });
    expect(r.killed.ok).toBe(false);
    expect(r.killed.message).toMatch(/restarting/);
    expect(r.afterRestart.ok).toBe(true);
    expect(r.stats.restarts).toBe(1);
    expect(r.statuses.some((s: string) => s.startsWith('loading:restarted'))).toBe(true);
    expect(r.backend).toBe('wasm');
  }, 180_000);

  it('a WebGPU device lost after load: the worker restarts on WASM and says why, the rules answering meanwhile (issue 18 item 3)', async () => {
    const r = (await page.evaluate(() => (window as any).nx.deviceLossCheck())) as any;
    expect(r.loadedOn, JSON.stringify(r.statuses)).toBe('webgpu');
    expect(r.before.ok).toBe(true);
    expect(r.during).toBe('rules');
    expect(r.after.ok, JSON.stringify(r.after)).toBe(true);
    expect(r.status).toMatchObject({ state: 'ready', backend: 'wasm' });
    expect(r.status.error).toMatch(/WebGPU device lost \(destroyed.*using WASM/);
    expect(r.backend).toBe('wasm');
  }, 240_000);

  for (const how of ['terminate', 'close'] as const) {
    it(`notices a worker that dies silently (${how}), restarts it, the rules answering meanwhile, and says so`, async () => {
      const r = (await page.evaluate((h) => (window as any).nx.deathCheck(h), how)) as any;
      expect(r.before).not.toBe('rules');
      expect(r.during).toBe('rules');
      expect(r.noticedMs).toBeLessThan(10_000);
      expect(r.statusAfterDeath.state).not.toBe('ready');
      expect(r.statuses).toContainEqual(expect.stringMatching(/^error:worker stopped answering .*restart 1 in 0\.2 s/));
      expect(r.status).toMatchObject({ state: 'ready', error: expect.stringMatching(/restarted after worker stopped answering/) });
      expect(r.after).not.toBe('rules');
      expect(r.restarts).toBe(1);
    }, 120_000);
  }

  // transformers.js sizes each file before fetching it; for a site path that probe was a
  // whole GET it never read, so each model file came twice. Now it is a one-byte Range request.
  // (Config and tokenizer files, a few kB, are read again by each load.)
  it('downloaded each weights file once over all these loads', () => {
    const weights = [...modelDownloads].filter(([p]) => /\.onnx(_data)?$/.test(p));
    expect(weights.length).toBeGreaterThan(0);
    expect(Object.fromEntries(weights.filter(([, n]) => n > 1))).toEqual({});
  });
});
