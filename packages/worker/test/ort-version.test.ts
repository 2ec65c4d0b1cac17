// transformers.js runs the onnxruntime-web it depends on (an exact version); the worker's own
// dependency is there so that the .wasm/.mjs an app self-hosts (node_modules/onnxruntime-web/dist,
// `wasmPaths`) come from that same build. Pinned to anything else, an app would install two
// copies and serve wasm from a build other than the one whose JavaScript loads it.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as { version: string; name: string; dependencies?: Record<string, string> };

/** The folder of an installed package (walks up from its resolved entry: exports hide package.json). */
function packageRoot(name: string): string {
  for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj) && readJson(pj).name === name) return dir;
  }
  throw new Error(`no package.json for ${name}`);
}

describe('onnxruntime-web version', () => {
  it('is the one transformers.js pins, installed once', () => {
    const worker = readJson(fileURLToPath(new URL('../package.json', import.meta.url)));
    const transformers = packageRoot('@huggingface/transformers');
    const wanted = readJson(join(transformers, 'package.json')).dependencies!['onnxruntime-web'];
    expect(worker.dependencies!['onnxruntime-web']).toBe(wanted);
    expect(readJson(join(packageRoot('onnxruntime-web'), 'package.json')).version).toBe(wanted);
    expect(existsSync(join(transformers, 'node_modules/onnxruntime-web'))).toBe(false);
  });
});
