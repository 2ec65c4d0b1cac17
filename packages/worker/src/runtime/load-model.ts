// Load a causal LM in Hugging Face layout from a local folder, a URL prefix or
// a hub id, read its nextedit config (a known prompt format among it), and
// wrap it as a core CausalLM on the best available runtime (WebGPU -> WASM fallback).
import { AutoModelForCausalLM, env, PretrainedConfig, type PreTrainedModel } from '@huggingface/transformers';
import type { LoadProgress } from '@nextedit/core';
import { TransformersCausalLM } from './backends/transformers.js';
import { chooseBackend, transformersDevice, type BackendName, type DeviceChoice } from './device.js';
import { servableThreads, wasmThreads, type WasmThreads } from './wasm-threads.js';
import { nodeThreads } from './node-threads.js';
import { sessionOptions } from './session-options.js';
import { ortThreadScript, ortWasmPaths, type OrtBuild } from './ort-build.js';
import { isPathOrUrl, isUrlSource, joinSource, readSourceJson } from './files.js';
import { readModelConfig, type ModelConfig } from './model-config.js';

export type Dtype = 'fp32' | 'q8' | 'q4';

/** The ONNX file each dtype loads, under `onnx/`. */
export const DTYPE_FILES: Record<Dtype, string> = {
  fp32: 'onnx/model.onnx',
  q8: 'onnx/model_quantized.onnx',
  q4: 'onnx/model_q4.onnx',
};

export interface LoadModelOptions {
  dtype?: Dtype;
  device?: DeviceChoice;
  /** Threads (default 'auto': 1; a count runs on WASM where the page is cross-origin isolated, and on Node). */
  threads?: WasmThreads;
  onProgress?(p: LoadProgress): void;
}

export interface LoadedModel {
  lm: TransformersCausalLM;
  backend: BackendName;
  /** The prompt format its config names, `name@version` (the same as `nextedit.prompt.format`). */
  promptFormat: string;
  /** Its config.json's `nextedit` block, read once. */
  nextedit: ModelConfig;
  config: Record<string, unknown>;
  /** Why this backend runs (device choice, adapter found), for the status line. */
  backendReason: string;
  /** Set when WebGPU failed and WASM runs instead: why. */
  fallback?: string;
  /** Threads the session runs with (WASM's, onnxruntime-node's intra-op ones); 1 on WebGPU. */
  threads: number;
}

async function readConfig(source: string): Promise<Record<string, unknown>> {
  if (isPathOrUrl(source)) return readSourceJson(source, 'config.json');
  const { AutoConfig } = await import('@huggingface/transformers');
  return (await AutoConfig.from_pretrained(source)) as unknown as Record<string, unknown>;
}

/** Frees a value's model session when it is a LoadedModel (for `allInOrder`'s `release`). */
export async function disposeIfModel(value: unknown): Promise<void> {
  if (value && typeof value === 'object' && 'lm' in value) await (value as LoadedModel).lm.dispose();
}

async function checkLocalFile(source: string, file: string): Promise<void> {
  if (isUrlSource(source) || !isPathOrUrl(source)) return;
  const { access } = await import('node:fs/promises');
  try {
    await access(source.replace(/\/+$/, '') + '/' + file);
  } catch {
    throw new Error(`nextedit: model file missing: ${source.replace(/\/+$/, '')}/${file}`);
  }
}

export async function loadModel(source: string, opts: LoadModelOptions = {}): Promise<LoadedModel> {
  const dtype = opts.dtype ?? 'fp32';
  // Paths and URLs are not hub ids, so transformers.js reads them as given;
  // only a hub id needs the remote host.
  env.allowLocalModels = true;
  env.allowRemoteModels = !isPathOrUrl(source);
  const config = await readConfig(source);
  const nextedit = readModelConfig(config, joinSource(source, 'config.json'));
  const described = { promptFormat: nextedit.prompt.format, nextedit, config };
  await checkLocalFile(source, DTYPE_FILES[dtype]);
  const asked = wasmThreads(opts.threads);
  const { backend, reason } = await chooseBackend(opts.device);
  const onWasm = async (why: string) => {
    const { threads, note } = await servableThreads(asked, ortThreadScript(ortWasmPaths(givenWasmPaths(), ortBuild ?? 'wasm')));
    return { threads, backendReason: note ? `${why}; ${note}` : why };
  };
  try {
    if (backend !== 'wasm') {
      const threads = backend === 'node' ? nodeThreads(opts.threads) : 1;
      return { lm: await open(source, dtype, backend, threads, opts, config), backend, backendReason: reason, ...described, threads };
    }
    const wasm = await onWasm(reason);
    return { lm: await open(source, dtype, backend, wasm.threads, opts, config), backend, ...described, ...wasm };
  } catch (e) {
    if (backend !== 'webgpu') throw e;
    const fallback = `WebGPU failed (${(e as Error).message}); using WASM`;
    const wasm = await onWasm(fallback);
    const lm = await open(source, dtype, 'wasm', wasm.threads, opts, config);
    return { lm, backend: 'wasm', ...described, fallback, ...wasm };
  }
}

// ORT's settings in transformers.js's env (ORT's own env object).
const ortWasmEnv = () => (env.backends.onnx as { wasm?: { numThreads?: number; wasmPaths?: unknown } }).wasm;

// The build ORT initialized with: it reads wasmPaths and numThreads once per realm, at its
// first session. Until then, and only for a folder prefix, wasmPaths names the build
// this model needs; the app's prefix is kept to name the other one if that load fails.
let ortBuild: OrtBuild | undefined;
let ortPrefix: { given: unknown; made: unknown } | undefined;

/** wasmPaths as the app set them: our expansion of its prefix undone. */
function givenWasmPaths(): unknown {
  const current = ortWasmEnv()?.wasmPaths;
  return ortPrefix && current === ortPrefix.made ? ortPrefix.given : current;
}

/** A session for `source`; `config` is its config.json as already read (transformers.js would fetch it again). */
async function open(
  source: string, dtype: Dtype, backend: BackendName, threads: number, opts: LoadModelOptions, config: Record<string, unknown>,
): Promise<TransformersCausalLM> {
  const wasm = ortWasmEnv();
  const build: OrtBuild = backend === 'webgpu' ? 'webgpu' : 'wasm';
  if (backend !== 'node' && wasm && !ortBuild) {
    const given = givenWasmPaths();
    wasm.wasmPaths = ortWasmPaths(given, build);
    ortPrefix = { given, made: wasm.wasmPaths };
    // Given both files, transformers.js would import ORT's glue from a blob: URL, which a
    // strict CSP (script-src without blob:) refuses; the browser's HTTP cache keeps them anyway.
    env.useWasmCache = false;
  }
  if (backend === 'wasm' && wasm) wasm.numThreads = threads;
  if (backend === 'webgpu' && ortBuild === 'wasm') {
    throw new Error('nextedit: this worker\'s onnxruntime-web runs its WASM-only build (its first model ran on WASM); load WebGPU models in a fresh worker');
  }
  let model: PreTrainedModel;
  try {
    model = await withTransformersSource(source, (id, extra) => AutoModelForCausalLM.from_pretrained(id, {
      ...extra,
      config: new PretrainedConfig(config),
      dtype,
      device: transformersDevice(backend),
      session_options: sessionOptions(backend, dtype, threads, config),
      progress_callback: (p: { status: string; file?: string; loaded?: number; total?: number }) => {
        if (p.status === 'progress' && p.file) opts.onProgress?.({ file: p.file, loaded: p.loaded ?? 0, total: p.total ?? 0 });
      },
    }));
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    // ORT's only word for a cut-short or garbled file (a raw error code in the browser).
    const hint = /protobuf parsing failed/i.test(msg) ? 'not a whole ONNX file (truncated or corrupt?): ' : '';
    throw new Error(`nextedit: cannot load model ${source} (${DTYPE_FILES[dtype]}, ${backend}): ${hint}${msg}`, { cause: e });
  }
  if (backend !== 'node') ortBuild ??= build;
  return new TransformersCausalLM(model, backend);
}

let loading: Promise<unknown> = Promise.resolve();

/**
 * Run `load` with the id (and options) transformers.js understands for
 * `source`. It takes folders, site-relative paths and hub ids, but not full
 * URLs: a URL becomes a hub-style id on a temporary `remoteHost`. In a browser
 * a site path is such a URL too: transformers.js sizes each file before it
 * fetches it, and for a local path that probe is a whole GET it never reads
 * (every model file came twice); for a remote one it is a one-byte Range
 * request, whose body it cancels where the server ignores Range. The id is
 * only the URL's last segment, so for it local models are off (transformers.js
 * would first try `localModelPath`/id) and Node's download cache gets a folder
 * per URL (its keys are id/file, shared by every host): the weights come from
 * that URL or the load fails. Loads run one at a time because these settings are global.
 */
function withTransformersSource<T>(source: string, load: (id: string, extra: { cache_dir?: string }) => Promise<T>): Promise<T> {
  const run = loading.then(async () => {
    const page = (globalThis as { location?: { href: string } }).location?.href;
    const href = page && !/^https?:\/\//i.test(source) && isPathOrUrl(source) ? new URL(source, page).href : source;
    if (!/^https?:\/\//i.test(href)) return load(source, {});
    const url = new URL(href.replace(/\/+$/, ''));
    const saved = { host: env.remoteHost, template: env.remotePathTemplate, remote: env.allowRemoteModels, local: env.allowLocalModels };
    const cut = url.href.lastIndexOf('/');
    Object.assign(env, { remoteHost: url.href.slice(0, cut + 1), remotePathTemplate: '{model}/', allowRemoteModels: true, allowLocalModels: false });
    try {
      return await load(url.href.slice(cut + 1), urlCacheDir(url.href.slice(0, cut)));
    } finally {
      Object.assign(env, { remoteHost: saved.host, remotePathTemplate: saved.template, allowRemoteModels: saved.remote, allowLocalModels: saved.local });
    }
  });
  loading = run.catch(() => undefined);
  return run;
}

/** Node's download cache for models under URL `prefix`: a folder of its own (browsers key their cache by the full URL). */
function urlCacheDir(prefix: string): { cache_dir?: string } {
  if (!env.cacheDir || !env.useFSCache || isUrlSource('.')) return {};
  const readable = prefix.replace(/^https?:\/\//i, '').replace(/[^A-Za-z0-9.-]+/g, '_');
  return { cache_dir: `${env.cacheDir.replace(/\/+$/, '')}/by-url/${readable}-${fnv1a(prefix)}` };
}

/** A short hash, so prefixes that read alike ("a/b", "a_b") get different folders. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}
