// A missing model file answers HTTP 404 on the demo's dev and preview servers,
// not the page's HTML (the SPA fallback), so a load error says what is wrong.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, preview } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { readSourceJson } from '../../packages/worker/src/runtime/files.js';

const configFile = resolve(fileURLToPath(new URL('../../vite.config.ts', import.meta.url)));
const out = mkdtempSync(join(tmpdir(), 'nextedit-preview-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** A stand-in build: the page and one model's config. */
function fakeBuild(): string {
  writeFileSync(join(out, 'index.html'), '<!doctype html><title>demo</title>');
  mkdirSync(join(out, 'models', 'here'), { recursive: true });
  writeFileSync(join(out, 'models', 'here', 'config.json'), '{"model_type": "llama"}');
  return out;
}

async function expect404(base: string): Promise<void> {
  const res = await fetch(`${base}/models/missing/config.json`);
  expect(res.status).toBe(404);
  await expect(readSourceJson(`${base}/models/missing`, 'config.json')).rejects.toThrow(/HTTP 404/);
}

describe('missing model files', () => {
  it('answer 404 on the dev server', async () => {
    const server = await createServer({ configFile, logLevel: 'error', server: { port: 0, strictPort: false } });
    await server.listen();
    try {
      await expect404(server.resolvedUrls!.local[0]!.replace(/\/$/, ''));
    } finally {
      await server.close();
    }
  });

  it('answer 404 on the preview server, which still serves the built models', async () => {
    const server = await preview({ configFile, logLevel: 'error', build: { outDir: fakeBuild() }, preview: { port: 0, strictPort: false } });
    const base = server.resolvedUrls!.local[0]!.replace(/\/$/, '');
    try {
      await expect404(base);
      expect(await readSourceJson(`${base}/models/here`, 'config.json')).toEqual({ model_type: 'llama' });
    } finally {
      await server.close();
    }
  });
});
