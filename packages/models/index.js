// @nextedit/models: where the bundled models' runtime files are on disk (Node
// only: a browser gets them over HTTP, e.g. at /nextedit-models/ with the
// @nextedit/worker/vite plugin).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The bundled models, each a folder in Hugging Face layout under `modelsDir`. */
export const models = ['nextedit-student', 'nextedit-draft'];

/** The files the runtime reads from each model folder (q8 weights only: no fp32, no training files). */
export const runtimeFiles = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'onnx/model_quantized.onnx',
  'README.md',
];

/** The dtype the bundled weights are in. */
export const dtype = 'q8';

/**
 * The folder holding `nextedit-student/` and `nextedit-draft/`: this package's own
 * copies once packed (prepack copies them in), else the repository's models/ folder
 * (a workspace checkout, where the files live once, in models/).
 */
export const modelsDir = existsSync(join(here, 'nextedit-student', 'config.json')) ? here : join(here, '..', '..', 'models');

export const studentPath = join(modelsDir, 'nextedit-student');
export const draftPath = join(modelsDir, 'nextedit-draft');

/** The URL base the @nextedit/worker/vite plugin serves `modelsDir` at, and the worker's default. */
export const urlBase = '/nextedit-models/';
