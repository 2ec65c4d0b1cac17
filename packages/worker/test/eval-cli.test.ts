import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const cli = 'packages/worker/src/tools/eval.ts';
const cases = 'packages/worker/test/fixtures/eval-cases.jsonl';

const evalCli = (args: string[]) => runCli(cli, args);

describe('eval CLI', () => {
  it('scores the baseline, skips malformed lines and prints a summary', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'eval-')), 'pred.jsonl');
    const r = await evalCli(['--cases', cases, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/eval-cases\.jsonl:2: skipped: invalid JSON/);
    expect(r.stderr).toMatch(/eval-cases\.jsonl:4: skipped: "cursor"/);

    const preds = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(preds.map((p) => p.id)).toEqual(['rename-1', 'complete-1', 'next-1']);
    expect(preds[0].prediction).toBe('function fetchUser(id) {\n  return db.find(id);\n}\n\nconst u = fetchUser(1);\n');
    expect(preds[0]).toMatchObject({ kind: 'repeat', backend: 'rules', jump: { pos: 60 } });
    expect(preds[1].prediction).toBeNull();
    expect(preds[2].prediction).toBe('let total = 0;\ntotal += 1;\n');
    for (const p of preds) expect(p.latency_ms).toBeGreaterThanOrEqual(0);

    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ n: 3, exact: 1 / 3, shown: 2 / 3, precision: 0.5, reversal: 0, skipped: 2, made_by: { rules: 2 } });
    expect(summary.deltaChrF).toBeGreaterThan(100 / 3);
    expect(summary.deltaChrF).toBeLessThan(100);
    expect(summary.by_kind.repeat).toMatchObject({ n: 1, exact: 1, deltaChrF: 100 });
    expect(summary.by_kind.complete).toMatchObject({ n: 1, shown: 0, deltaChrF: 0 });
    expect(summary.by_kind.next.exact).toBe(0);
    expect(summary.p95_ms).toBeGreaterThanOrEqual(summary.p50_ms);
  }, 60_000);

  it('model+baseline: the rules answer where the model holds back, as in the demo', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'eval-')), 'pred.jsonl');
    const args = ['--cases', cases, '--out', out, '--model', 'models/tiny-random', '--min-confidence', '1'];
    const r = await evalCli([...args, '--predictor', 'model+baseline']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    // The random model is never sure, so every suggestion is the baseline's.
    expect(summary).toMatchObject({ n: 3, exact: 1 / 3, shown: 2 / 3, made_by: { rules: 2 } });
    const alone = await evalCli([...args, '--predictor', 'model']);
    expect(JSON.parse(alone.stdout.trim().split('\n').at(-1)!)).toMatchObject({ shown: 0, made_by: {} });
  }, 60_000);

  it('honours --limit', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'eval-')), 'pred.jsonl');
    const r = await evalCli(['--cases', cases, '--out', out, '--limit', '1']);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!).n).toBe(1);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('prints usage for --help and fails on missing arguments', async () => {
    const help = await evalCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--predictor baseline|verified-baseline|model|model+baseline|shipped');
    const bad = await evalCli(['--cases', cases]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--cases and --out are required');
    const confidence = await evalCli(['--cases', cases, '--out', join(tmpdir(), 'x.jsonl'), '--min-confidence', '1.5']);
    expect(confidence.code).toBe(1);
    expect(confidence.stderr).toContain('--min-confidence must be between 0 and 1');
  }, 60_000);

  it('exits 2 with a clear message when the model cannot be loaded', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'eval-')), 'pred.jsonl');
    const r = await evalCli(['--cases', cases, '--out', out, '--predictor', 'model', '--model', join(tmpdir(), 'no-such-model')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot load model|no model runtime available/);
  }, 60_000);

  it('runs the bundled student when --predictor model names no model, and --no-model is the rule baseline', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'eval-')), 'pred.jsonl');
    const bundled = await evalCli(['--cases', cases, '--out', out, '--predictor', 'model', '--limit', '1', '--dtype', 'q8']);
    expect(bundled.code, bundled.stderr).toBe(0);
    expect(JSON.parse(bundled.stdout.trim().split('\n').at(-1)!).n).toBe(1);
    const rules = await evalCli(['--cases', cases, '--out', out, '--predictor', 'model', '--no-model']);
    expect(JSON.parse(rules.stdout.trim().split('\n').at(-1)!)).toMatchObject({ n: 3, made_by: { rules: 2 } });
  }, 120_000);
});
