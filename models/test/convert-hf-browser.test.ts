// A Hugging Face Qwen2 checkpoint converted by convert_hf.py, loaded by hub id
// in real Chromium through the real worker (WorkerPredictor -> worker-entry),
// predicting through the Sweep prompt. Nothing is downloaded: tiny_hf.py writes
// a tiny random checkpoint, and the browser's requests to the hub
// (https://huggingface.co/<id>/resolve/main/...) are answered by the local
// hub-layout server, so the page loads the id exactly as a user's would.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, openChromiumPage, type ChromiumPage } from '../../packages/worker/src/tools/chromium.js';
import { serveHub, type HubServer } from '../../packages/worker/src/tools/hub-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const python = '/usr/bin/python3';
const hasPython = existsSync(python) && spawnSync(python, ['-c', 'import torch, onnx, numpy']).status === 0;
const ID = 'sweep-test/tiny-qwen2';

function run(args: string[]): void {
  const r = spawnSync(python, args, { cwd: root, encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stderr}`);
}

/** The hub transformers.js resolves ids on (its default `env.remoteHost`). */
const HUB = 'https://huggingface.co/';

/** Answer the page's (and its workers') hub requests from `hub`: a user's load, minus the network. */
async function routeHubTo(page: Page, hub: HubServer): Promise<void> {
  await page.context().route(`${HUB}**`, async (route) => {
    const url = new URL(route.request().url());
    const r = await fetch(hub.url + url.pathname.slice(1), { method: route.request().method() });
    await route.fulfill({ status: r.status, headers: Object.fromEntries(r.headers), body: Buffer.from(await r.arrayBuffer()) });
  });
}

interface HubCheck {
  ok: boolean;
  message?: string;
  status: { state: string; backend?: string; error?: string };
  stats: { requests: number; completed: number; backend?: string };
  loadMs: number;
  latencies: number[];
  predictions: ({ edits: { from: number; to: number; insert: string }[]; madeBy?: string; prompt: string } | null)[];
  progressFiles: string[];
}

const tmp = mkdtempSync(join(tmpdir(), 'nextedit-convert-browser-'));
let chromium: ChromiumPage;
let hub: HubServer;
afterAll(async () => {
  await chromium?.close();
  await hub?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!hasPython || !hasChromium)('a converted Qwen2 checkpoint in Chromium', () => {
  beforeAll(async () => {
    const out = join(tmp, 'sweep-tiny');
    run(['models/train/tiny_hf.py', '--out', join(tmp, 'src'), '--norm-scale', '0.05']);
    run(['models/train/convert_hf.py', '--checkpoint', join(tmp, 'src'), '--out', out, '--format', 'sweep@1', '--min-confidence', '0.5', '--no-check']);
    // Random weights never write a whole answer. An unsure model (final norm scaled
    // down: no token above a few percent) with a confidence floor gives up its own
    // guess at the first token, and with the candidate floors at 0 its pick among
    // the edit candidates it scores (the user's rename repeated) is shown.
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    config.nextedit = { ...config.nextedit, verify_candidates: true, min_verified: 0, min_location: 0 };
    writeFileSync(join(out, 'config.json'), JSON.stringify(config, null, 2));
    hub = await serveHub({ [ID]: out });
    // transformers.js tries the site's /models/<id>/ first: a 404 there (as the demo serves it), then the hub.
    mkdirSync(join(tmp, 'no-models'));
    chromium = await openChromiumPage({
      root: join(here, 'hub-page'),
      serve: { '/models/': join(tmp, 'no-models') },
      setup: async (page) => routeHubTo(page, hub),
      onPageError: (e) => console.error('page error:', e),
    });
    await chromium.page.waitForFunction(() => (window as unknown as { nx?: object }).nx !== undefined, undefined, { timeout: 60_000 });
  }, 180_000);

  for (const device of ['wasm', 'webgpu'] as const) {
    it(`loads ${ID} by hub id on ${device} and predicts through sweep@1`, async () => {
      const r = (await chromium.page.evaluate(([id, d]) => (window as any).nx.hubCheck(id, d, 'q4', d === 'wasm' ? 6 : 3), [ID, device] as const)) as HubCheck;
      expect(r.message).toBeUndefined();
      expect(r.ok).toBe(true);
      expect(r.status.state).toBe('ready');
      // WebGPU where Chromium offers a usable adapter (headless Chromium here: SwiftShader,
      // in software: three predictions); else the worker says why and runs WASM.
      if (device === 'wasm') expect(r.status.backend).toBe('wasm');
      else expect(r.status.backend === 'webgpu' || typeof r.status.error === 'string').toBe(true);
      console.log(`${device}: backend ${r.status.backend}, load ${r.loadMs.toFixed(0)} ms, predict ms ${r.latencies.map((l) => l.toFixed(0)).join(' ')}`);
      expect(hub.seen).toContain(`/${ID}/resolve/main/onnx/model_q4.onnx`);
      expect(hub.seen).toContain(`/${ID}/resolve/main/tokenizer.json`);
      expect(r.progressFiles).toContain('onnx/model_q4.onnx');
      expect(r.stats.completed).toBe(r.latencies.length);
      for (const p of r.predictions) {
        expect(p?.prompt).toContain('<|file_sep|>current/a.py\n');
        expect(p?.prompt.endsWith('<|file_sep|>updated/a.py\n')).toBe(true);
        // The model's pick among the renames it scored.
        expect(p?.madeBy).toBe('model-verified');
        expect(p?.edits.every((e) => e.insert === 'size')).toBe(true);
      }
    }, 180_000);
  }
});
