// `@nextedit/worker/vite`: the one line a Vite app needs. It serves (dev,
// preview) and emits (build) the two onnxruntime-web files the worker loads at
// run time, under /ort/, and the bundled models of @nextedit/models under
// /nextedit-models/: the worker's defaults for `wasmPaths` and `model`.
//
// Which ORT files: transformers.js imports `onnxruntime-web/webgpu`, whose
// WebAssembly build is `ort-wasm-simd-threaded.asyncify.{mjs,wasm}` (WebGPU and
// WASM both run on it); a worker whose model runs on WASM loads ORT's smaller
// WASM-only build `ort-wasm-simd-threaded.{mjs,wasm}` instead (runtime/ort-build.ts).
// The plugin points that import at the package's `ort.webgpu.min.mjs`, which
// loads its files from `wasmPaths` and names no asset itself, so the build holds
// those four files instead of the unused jsep wasm and a hashed duplicate that
// `ort.webgpu.bundle.min.mjs` made Vite emit.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import type { Plugin } from 'vite';
import { DEFAULT_MODELS_BASE, DEFAULT_WASM_PATHS } from '../worker/defaults.js';
import { staticFiles } from './static-files.js';
import { ORT_RUNTIME_FILES } from '../runtime/ort-build.js';

export { ORT_RUNTIME_FILES };

export interface NexteditPluginOptions {
  /** Serve and emit @nextedit/models at /nextedit-models/ (the worker's default model). Default true. */
  models?: boolean;
  /**
   * Send COOP/COEP from the dev and preview servers so the page is cross-origin
   * isolated (SharedArrayBuffer). Default false; your production host sends its own headers.
   */
  crossOriginIsolation?: boolean;
}

const require = createRequire(import.meta.url);

/** onnxruntime-web's dist folder, the copy transformers.js (and so the worker) uses. */
export function ortDistDir(): string {
  const transformers = require.resolve('@huggingface/transformers');
  return dirname(createRequire(transformers).resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
}

interface ModelsInfo { modelsDir: string; models: readonly string[]; runtimeFiles: readonly string[] }

async function modelsInfo(): Promise<ModelsInfo> {
  try {
    return (await import('@nextedit/models')) as ModelsInfo;
  } catch (e) {
    throw new Error(`@nextedit/worker/vite: cannot load @nextedit/models (install it, or pass { models: false } and name a model in load()): ${(e as Error).message}`);
  }
}

/** Every file under `dir`, as paths relative to it with `/`. */
function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full).map((f) => `${name}/${f}`) : [name];
  });
}

export function nextedit(options: NexteditPluginOptions = {}): Plugin {
  const withModels = options.models ?? true;
  const ortDir = ortDistDir();
  let models: ModelsInfo | undefined;
  const ortFile = (file: string) => ORT_RUNTIME_FILES.includes(relative(ortDir, file));
  // Only the runtime files of the bundled models (a checkout's models/ folder holds much more).
  const modelFile = (file: string) => {
    const rel = relative(models!.modelsDir, file).split(sep).join('/');
    const [model, ...rest] = rel.split('/');
    return models!.models.includes(model!) && models!.runtimeFiles.includes(rest.join('/'));
  };
  const isolation = options.crossOriginIsolation
    ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
    : undefined;
  const serve = (use: (h: ReturnType<typeof staticFiles>) => void) => {
    use(staticFiles(DEFAULT_WASM_PATHS, ortDir, ortFile));
    if (models) use(staticFiles(DEFAULT_MODELS_BASE, models.modelsDir, modelFile));
  };

  return {
    name: 'nextedit',
    async config() {
      if (withModels) models = await modelsInfo();
      return {
        resolve: { alias: [{ find: /^onnxruntime-web\/webgpu$/, replacement: join(ortDir, 'ort.webgpu.min.mjs') }] },
        // Pre-bundling would move import.meta.url-relative code; the worker loads ORT's files from wasmPaths.
        optimizeDeps: { exclude: ['onnxruntime-web', '@huggingface/transformers'] },
        worker: { format: 'es' as const },
        ...(isolation ? { server: { headers: isolation }, preview: { headers: isolation } } : {}),
      };
    },
    // Before Vite's own middlewares: these URLs are files, never modules to transform.
    configureServer(server) {
      serve((h) => server.middlewares.use(h));
    },
    // `vite preview` serves the build's own copies (emitted below) like any other file.
    generateBundle() {
      const emit = (fileName: string, file: string) => this.emitFile({ type: 'asset', fileName, source: readFileSync(file) });
      for (const f of ORT_RUNTIME_FILES) emit(`${DEFAULT_WASM_PATHS.slice(1)}${f}`, join(ortDir, f));
      if (!models) return;
      for (const m of models.models) {
        const dir = join(models.modelsDir, m);
        for (const f of listFiles(dir)) {
          if (modelFile(join(dir, f))) emit(`${DEFAULT_MODELS_BASE.slice(1)}${m}/${f}`, join(dir, f));
        }
      }
    },
  };
}

export default nextedit;
