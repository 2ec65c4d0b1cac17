// A Hugging Face Qwen2 checkpoint converted by models/train/convert_hf.py runs
// through the worker's public Node entry: a tiny random one written by
// tiny_hf.py (nothing downloaded), loaded from its folder and by hub id from a
// local server in the hub layout, prompted in the Sweep format, its KV cache
// rolled back, fp32 / q8 / q4 all loading.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { env } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPromptFormat } from '@nextedit/core';
import { createModelPredictor, loadModel } from '@nextedit/worker/node';
import { loadTokenizer } from '@nextedit/worker';
import { serveHub } from '../../packages/worker/src/tools/hub-server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const python = '/usr/bin/python3';
const hasPython = existsSync(python) && spawnSync(python, ['-c', 'import torch, onnx, numpy']).status === 0;
const tmp = mkdtempSync(join(tmpdir(), 'nextedit-convert-'));
const src = join(tmp, 'src');
const out = join(tmp, 'sweep-tiny');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[]): void {
  const r = spawnSync(python, args, { cwd: root, encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stderr}`);
}

const relative = (a: Float32Array, b: Float32Array) => {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
};

describe.skipIf(!hasPython)('a converted Qwen2 checkpoint', () => {
  beforeAll(() => {
    run(['models/train/tiny_hf.py', '--out', src]);
    // The Python tests check parity against PyTorch; here the runtime's side.
    run(['models/train/convert_hf.py', '--checkpoint', src, '--out', out, '--format', 'sweep@1', '--no-check']);
  }, 120_000);

  it('keeps the Sweep markers single tokens in the tokenizer transformers.js loads', async () => {
    const tok = await loadTokenizer(out);
    const fileSep = tok.tokenId('<|file_sep|>');
    expect(fileSep).toBe(264);
    const text = '<|file_sep|>current/a.py\nx = 1\n<|file_sep|>updated/a.py\n';
    const ids = tok.encode(text);
    expect(ids.filter((t) => t === fileSep)).toHaveLength(2);
    expect(tok.decode(ids)).toBe(text);
    const prompt = getPromptFormat('sweep').build({ path: 'a.py', text: 'x = 1\n', cursor: 0, events: [] }, tok);
    expect(prompt.stopTokenIds).toEqual([fileSep, tok.tokenId('<|endoftext|>')]);
  });

  it('loads every dtype as qwen2 in the sweep@1 format; q8 and q4 stay near fp32', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => (i * 37 + 5) % 256);
    const logits: Record<string, Float32Array> = {};
    for (const dtype of ['fp32', 'q8', 'q4'] as const) {
      const m = await loadModel(out, { dtype });
      expect(m.promptFormat).toBe('sweep@1');
      expect(m.config.model_type).toBe('qwen2');
      const l = await m.lm.forward(ids);
      expect([l.rows, l.vocabSize]).toEqual([12, 288]);
      logits[dtype] = Float32Array.from(l.data);
      await m.lm.dispose();
    }
    expect(relative(logits.q8!, logits.fp32!)).toBeLessThan(0.05);
    expect(relative(logits.q4!, logits.fp32!)).toBeLessThan(0.3);
  }, 60_000);

  it('rolls the KV cache back: a rewound continuation equals the full forward', async () => {
    const m = await loadModel(out, { dtype: 'q4' });
    const ids = Array.from({ length: 10 }, (_, i) => (i * 53 + 11) % 256);
    const full = Float32Array.from((await m.lm.forward(ids)).data);
    await m.lm.truncate(4);
    const tail = (await m.lm.forward(ids.slice(4))).data;
    expect(relative(Float32Array.from(tail), full.subarray(4 * 288))).toBeLessThan(1e-4);
    expect(m.lm.length).toBe(10);
    await m.lm.dispose();
  }, 60_000);

  it('predicts through the Sweep prompt and reuses the cache on the next keystroke', async () => {
    const loaded = await createModelPredictor({ model: out, dtype: 'q4', mode: 'speculative' });
    const text = 'def f(x):\n    return x\n\nprint(f(2))\n';
    await loaded.predictor.predict({ path: 'a.py', text, cursor: 20, events: [] });
    expect(loaded.predictor.lastPrompt?.text).toContain('<|file_sep|>current/a.py\n' + text + '<|file_sep|>updated/a.py\n');
    expect(loaded.predictor.lastStats?.backend).toBe('node');
    const more = text.replace('return x', 'return x ');
    await loaded.predictor.predict({ path: 'a.py', text: more, cursor: 21, events: [] });
    expect(loaded.predictor.lastStats?.cachedTokens).toBeGreaterThan(0);
    await loaded.dispose();
  }, 60_000);

  it('loads by hub id from a server in the hub layout', async () => {
    const hub = await serveHub({ 'sweep-test/tiny-qwen2': out });
    const saved = { host: env.remoteHost, cache: env.cacheDir };
    env.remoteHost = hub.url;
    env.cacheDir = join(tmp, 'hub-cache');
    try {
      const m = await loadModel('sweep-test/tiny-qwen2', { dtype: 'q4' });
      expect(m.promptFormat).toBe('sweep@1');
      expect(hub.seen).toContain('/sweep-test/tiny-qwen2/resolve/main/onnx/model_q4.onnx');
      expect((await m.lm.forward([1, 2, 3])).rows).toBe(3);
      await m.lm.dispose();
    } finally {
      env.remoteHost = saved.host;
      env.cacheDir = saved.cache;
      await hub.close();
    }
  }, 60_000);
});
