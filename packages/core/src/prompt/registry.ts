// Prompt formats by name and version, as a model's config names them
// (`nextedit.prompt_format`, `nextedit.prompt_format_version`). The built-in
// table is explicit and frozen; hosts may add their own formats.
import { nativeFormat } from './native.js';
import { nativeV2Format } from './native-v2.js';
import { nativeV3Format } from './native-v3.js';
import { sweepFormat } from './sweep.js';
import { zeta1Format } from './zeta1.js';
import type { PromptFormat } from './types.js';

const key = (name: string, version: number) => `${name}@${version}`;

export const BUILTIN_PROMPT_FORMATS: Readonly<Record<string, PromptFormat>> = Object.freeze(
  Object.fromEntries([nativeFormat, nativeV2Format, nativeV3Format, zeta1Format, sweepFormat].map((f) => [key(f.name, f.version), f])),
);

const added = new Map<string, PromptFormat>();

/** Add a format of your own (a built-in name and version cannot be replaced). */
export function registerPromptFormat(format: PromptFormat): void {
  const k = key(format.name, format.version);
  if (k in BUILTIN_PROMPT_FORMATS) throw new Error(`Prompt format ${k} is built in and cannot be replaced`);
  added.set(k, format);
}

/**
 * The format `name` at `version` (default 1: models from before versions
 * existed); `name` may also carry it as `native@2`.
 */
export function getPromptFormat(name: string, version?: number): PromptFormat {
  const at = name.indexOf('@');
  const k = at >= 0 ? name : key(name, version ?? 1);
  const format = BUILTIN_PROMPT_FORMATS[k] ?? added.get(k);
  if (!format) {
    throw new Error(`Unknown prompt format "${k}"; known formats: ${listPromptFormats().join(', ')}`);
  }
  return format;
}

/** Known formats as `name@version`. */
export function listPromptFormats(): string[] {
  return [...Object.keys(BUILTIN_PROMPT_FORMATS), ...added.keys()];
}
