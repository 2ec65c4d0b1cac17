import type { PromptFormat } from './types.js';

const formats = new Map<string, PromptFormat>();

export function registerPromptFormat(format: PromptFormat): void {
  formats.set(format.name, format);
}

export function getPromptFormat(name: string): PromptFormat {
  const format = formats.get(name);
  if (!format) {
    throw new Error(`Unknown prompt format "${name}"; known formats: ${listPromptFormats().join(', ') || '(none)'}`);
  }
  return format;
}

export function listPromptFormats(): string[] {
  return [...formats.keys()];
}
