// `npm run bench -- --browser wasm`: the bench CLI runs runBench in a module
// worker in headless Chromium and prints the same summary as in Node.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { hasChromium } from '../src/tools/chromium.js';
import { BENCH_SUMMARY_KEYS } from '../src/tools/run-bench.js';
import { hasTestModel, testModel } from './model-dir.js';

const cli = 'packages/worker/src/tools/bench.ts';
const cases = 'packages/worker/src/tools/fixtures/bench-cases.jsonl';

const bench = (args: string[]) => runCli(cli, args);

/** The Chromium profile folder the harness reported; gone once Chromium is closed. */
const profileOf = (stderr: string) => /profile in (\S+)\)/.exec(stderr)?.[1];

describe('bench CLI', () => {
  it('rejects an unknown --browser', async () => {
    const r = await bench(['--browser', 'firefox', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--browser must be wasm or webgpu');
  }, 60_000);

  describe.skipIf(!hasTestModel || !hasChromium)('in Chromium', () => {
    it('--browser wasm prints the summary JSON, modes identical, backend wasm', async () => {
      const r = await bench(['--model', testModel, '--cases', cases, '--limit', '2', '--keys', '2', '--browser', 'wasm', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
      expect(Object.keys(summary)).toEqual([...BENCH_SUMMARY_KEYS]);
      expect(summary).toMatchObject({ backend: 'wasm', cases: 2, identical: true });
      for (const mode of ['greedy', 'speculative', 'speculative_draft']) {
        expect(summary[mode].forward_passes).toBeGreaterThan(0);
        expect(summary[mode].wall_ms).toBeGreaterThan(0);
      }
      expect(summary.p95_ms).toBeGreaterThanOrEqual(summary.p50_ms);
      // 2 cases, each up to 2 keys and the settled request; the held-back ones are among them.
      expect(summary.held_back.of).toBeGreaterThanOrEqual(2);
      expect(summary.held_back.of).toBeLessThanOrEqual(6);
      expect(summary.held_back.requests).toBeLessThanOrEqual(summary.held_back.of);
      expect(summary.held_back.p95_ms).toBeGreaterThanOrEqual(summary.held_back.p50_ms);
      // Each session was warmed first, as the extension does in the user's pause: one prefill each, from a cold cache.
      expect(summary.warm).toMatchObject({ warmed: true, sessions: 2, cached_tokens: 0, forward_passes: 2 });
      expect(summary.warm.prompt_tokens).toBeGreaterThan(0);
      // Progress went to stderr while it ran; Chromium is closed (its profile removed).
      expect(r.stderr).toMatch(/bench: loading models on wasm/);
      expect(r.stderr).toMatch(/modes identical: true/);
      const profile = profileOf(r.stderr);
      expect(profile).toBeDefined();
      expect(existsSync(profile!)).toBe(false);
      // ~20 s alone; the margin is for a machine busy with other tests.
    }, 120_000);

    it('closes Chromium and exits 1 when the model cannot be loaded', async () => {
      const empty = mkdtempSync(join(tmpdir(), 'nextedit-no-model-'));
      const r = await bench(['--model', empty, '--cases', cases, '--limit', '1', '--browser', 'wasm', '--json']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/config\.json/);
      const profile = profileOf(r.stderr);
      expect(profile).toBeDefined();
      expect(existsSync(profile!)).toBe(false);
    }, 60_000);
  });
});
