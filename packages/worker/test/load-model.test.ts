// Loader errors name what is wrong, and hub-style loading works against a
// local server in the hub URL layout (/{id}/resolve/main/{file}).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env } from '@huggingface/transformers';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel, loadTokenizer } from '../src/index.js';
import type { LoadProgress } from '@nextedit/core';
import { hasTestModel, testModel } from './model-dir.js';
import { serveHub } from '../src/tools/hub-server.js';

const tmp = mkdtempSync(join(tmpdir(), 'nextedit-load-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function copyModel(name: string): string {
  const dir = join(tmp, name);
  cpSync(testModel, dir, { recursive: true });
  return dir;
}

describe.skipIf(!hasTestModel)('loadModel', () => {
  it('names a missing ONNX file', async () => {
    const dir = copyModel('missing');
    rmSync(join(dir, 'onnx', 'model.onnx'));
    await expect(loadModel(dir)).rejects.toThrow(/model file missing: .*onnx\/model\.onnx/);
  });

  it('reports a corrupt ONNX file', async () => {
    const dir = copyModel('corrupt');
    writeFileSync(join(dir, 'onnx', 'model.onnx'), 'this is not a protobuf');
    await expect(loadModel(dir)).rejects.toThrow(/cannot load model .*onnx\/model\.onnx.*: not a whole ONNX file \(truncated or corrupt\?\)/);
  });

  it('reports a corrupt config.json', async () => {
    const dir = copyModel('badconfig');
    writeFileSync(join(dir, 'config.json'), '{"model_type": ');
    await expect(loadModel(dir)).rejects.toThrow(/config\.json is not valid JSON/);
  });

  it('rejects an unknown prompt format, listing the known ones', async () => {
    const dir = copyModel('format');
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, nextedit: { prompt_format: 'bogus' } }));
    await expect(loadModel(dir)).rejects.toThrow(/bogus[\s\S]*native/);
  });

  it.skipIf(!existsSync(join(testModel, 'onnx', 'model_quantized.onnx')))('loads q8 from onnx/model_quantized.onnx', async () => {
    const { lm } = await loadModel(testModel, { dtype: 'q8' });
    const out = await lm.forward([1, 2, 3]);
    expect(out.rows).toBe(3);
    await lm.dispose();
  });

  it('runs onnxruntime-node on the threads asked for (one for auto) with the same logits (threads may reorder sums)', async () => {
    const one = await loadModel(testModel);
    const two = await loadModel(testModel, { threads: 2 });
    try {
      expect([one.threads, two.threads]).toEqual([1, 2]);
      const [a, b] = [await one.lm.forward([1, 2, 3]), await two.lm.forward([1, 2, 3])];
      expect(b.data.length).toBe(a.data.length);
      expect(Math.max(...b.data.map((x, i) => Math.abs(x - a.data[i]!)))).toBeLessThan(1e-4);
    } finally {
      await one.lm.dispose();
      await two.lm.dispose();
    }
    await expect(loadModel(testModel, { threads: 0 })).rejects.toThrow(/threads must be 'auto' or a whole number >= 1, not 0/);
  });

  it('loads a hub id from a server in the hub layout, reporting progress', async () => {
    const hub = await serveHub({ 'test-org/tiny': testModel });
    const saved = { host: env.remoteHost, cache: env.cacheDir };
    env.remoteHost = hub.url;
    // Node loads ONNX from a file path, so downloads go through a (temporary) FS cache.
    env.cacheDir = join(tmp, 'hub-cache');
    try {
      const progress: LoadProgress[] = [];
      const { lm, promptFormat } = await loadModel('test-org/tiny', { onProgress: (p) => progress.push(p) });
      expect(promptFormat).toBeTypeOf('string');
      expect((await lm.forward([1, 2])).rows).toBe(2);
      expect(hub.seen).toContain('/test-org/tiny/resolve/main/onnx/model.onnx');
      const onnx = progress.filter((p) => p.file === 'onnx/model.onnx');
      expect(onnx.length).toBeGreaterThan(0);
      expect(onnx[onnx.length - 1]!.loaded).toBe(onnx[onnx.length - 1]!.total);
      await lm.dispose();
      // The tokenizer loads from a URL prefix too.
      const tok = await loadTokenizer(`${hub.url}test-org/tiny/resolve/main`);
      expect(tok.tokenId('<|cursor|>')).toBeTypeOf('number');
    } finally {
      env.remoteHost = saved.host;
      env.cacheDir = saved.cache;
      await hub.close();
    }
  });
});

describe.skipIf(!hasTestModel)('loadModel from a URL prefix', () => {
  it('loads a model folder served over HTTP and leaves the hub settings as they were', async () => {
    const server: Server = createServer((req, res) => {
      const m = /^\/models\/tiny\/(.+)$/.exec(req.url ?? '');
      const file = m ? join(testModel, decodeURIComponent(m[1]!)) : '';
      if (!m || !existsSync(file)) return void res.writeHead(404).end();
      const body = readFileSync(file);
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const saved = { host: env.remoteHost, template: env.remotePathTemplate, cache: env.cacheDir };
    env.cacheDir = join(tmp, 'url-cache');
    try {
      const { lm } = await loadModel(`http://127.0.0.1:${port}/models/tiny/`);
      expect((await lm.forward([1, 2, 3])).rows).toBe(3);
      await lm.dispose();
      expect([env.remoteHost, env.remotePathTemplate]).toEqual([saved.host, saved.template]);
    } finally {
      env.cacheDir = saved.cache;
      server.close();
    }
  });
});

/** A server with the test model's config at /{prefix}/tiny/ and `onnx` as every ONNX file; the paths it was asked for. */
async function serveTiny(prefix: string, onnx: Buffer | null): Promise<{ url: string; seen: string[]; close(): void }> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.url ?? '');
    const m = new RegExp(`^/${prefix}/tiny/(.+)$`).exec(req.url ?? '');
    const name = m ? decodeURIComponent(m[1]!) : '';
    const body = name.endsWith('.onnx') ? onnx : name && existsSync(join(testModel, name)) ? readFileSync(join(testModel, name)) : null;
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/${prefix}/tiny`, seen, close: () => server.close() };
}

describe.skipIf(!hasTestModel)('a model named by URL loads from that URL or fails', () => {
  it('never from a local models folder of the same name', async () => {
    // transformers.js looks in env.localModelPath/<id>/ first (the page's /models/ in a browser).
    const local = join(tmp, 'local-models');
    cpSync(testModel, join(local, 'tiny'), { recursive: true });
    const saved = { path: env.localModelPath, cache: env.cacheDir };
    const remote = await serveTiny('elsewhere', Buffer.from('garbage weights'));
    Object.assign(env, { localModelPath: local, cacheDir: join(tmp, 'probe-cache') });
    try {
      await expect(loadModel(remote.url)).rejects.toThrow(/cannot load model http:\/\/127\.0\.0\.1:\d+\/elsewhere\/tiny/);
      expect(remote.seen).toContain('/elsewhere/tiny/onnx/model.onnx');
      expect(env.localModelPath).toBe(local);
    } finally {
      Object.assign(env, { localModelPath: saved.path, cacheDir: saved.cache });
      remote.close();
    }
  });

  it('never from the download cache of another URL with the same last segment', async () => {
    const good = await serveTiny('one', readFileSync(join(testModel, 'onnx', 'model.onnx')));
    const bad = await serveTiny('two', Buffer.from('garbage weights'));
    const saved = env.cacheDir;
    env.cacheDir = join(tmp, 'shared-cache');
    try {
      const { lm } = await loadModel(good.url);
      await lm.dispose();
      await expect(loadModel(bad.url)).rejects.toThrow(/cannot load model .*\/two\/tiny/);
      expect(bad.seen).toContain('/two/tiny/onnx/model.onnx');
    } finally {
      env.cacheDir = saved;
      good.close();
      bad.close();
    }
  });
});
