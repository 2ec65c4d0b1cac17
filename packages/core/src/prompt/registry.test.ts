import { describe, expect, it } from 'vitest';
import { nativeFormat } from './native.js';
import { nativeV2Format } from './native-v2.js';
import { BUILTIN_PROMPT_FORMATS, getPromptFormat, listPromptFormats, registerPromptFormat } from './registry.js';

describe('prompt format registry', () => {
  it('keeps v1 the default for "native" and finds v2 by version or name@version', () => {
    expect(getPromptFormat('native')).toBe(nativeFormat);
    expect(getPromptFormat('native', 2)).toBe(nativeV2Format);
    expect(getPromptFormat('native@2')).toBe(nativeV2Format);
    expect(listPromptFormats()).toEqual(expect.arrayContaining(['native@1', 'native@2', 'zeta1@1']));
  });

  it('names the known formats for an unknown name or version', () => {
    expect(() => getPromptFormat('nope')).toThrow(/nope.*native.*zeta1/);
    expect(() => getPromptFormat('native', 9)).toThrow(/native@9.*native@1/);
  });

  it('is frozen: a built-in format cannot be replaced', () => {
    expect(Object.isFrozen(BUILTIN_PROMPT_FORMATS)).toBe(true);
    expect(() => registerPromptFormat({ ...nativeFormat })).toThrow(/native@1 is built in/);
  });
});
