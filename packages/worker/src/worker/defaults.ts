// The worker's defaults when the app names no model or no wasmPaths: the URLs
// the @nextedit/worker/vite plugin serves (browser-safe: no Node imports here).
import type { ModelSource } from './protocol.js';

/** Where the Vite plugin serves onnxruntime-web's run-time files. */
export const DEFAULT_WASM_PATHS = '/ort/';
/** Where the Vite plugin serves @nextedit/models's folders. */
export const DEFAULT_MODELS_BASE = '/nextedit-models/';
export const DEFAULT_MODEL = `${DEFAULT_MODELS_BASE}nextedit-student`;
export const DEFAULT_DRAFT = `${DEFAULT_MODELS_BASE}nextedit-draft`;

/** What `WorkerPredictor.load` takes: a `ModelSource` whose `model` (and everything else) may be left out. */
export type LoadSource = Omit<ModelSource, 'model'> & {
  /**
   * Folder path, URL prefix or hub id (Hugging Face layout). Default: the bundled
   * @nextedit/models student with its draft, in q8, at `/nextedit-models/` (what the
   * `@nextedit/worker/vite` plugin serves).
   */
  model?: string;
};

/** A ModelSource with the defaults filled in: no model means the bundled student + draft, in q8; wasmPaths `/ort/`. */
export function withDefaults(source: LoadSource = {}): ModelSource {
  const bundled = source.model === undefined;
  return {
    ...source,
    model: source.model ?? DEFAULT_MODEL,
    ...(bundled && source.draft === undefined ? { draft: DEFAULT_DRAFT } : {}),
    ...(bundled && source.dtype === undefined ? { dtype: 'q8' as const } : {}),
    wasmPaths: source.wasmPaths ?? DEFAULT_WASM_PATHS,
  };
}
