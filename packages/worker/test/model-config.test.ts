// A model's nextedit config, read once: defaults, the keys each model folder
// sets, and errors that name the key of the wrong type.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readModelConfig } from '../src/runtime/model-config.js';
import { modelsRoot } from './model-dir.js';

const read = (nextedit: unknown) => readModelConfig({ nextedit }, 'm/config.json');

describe('readModelConfig', () => {
  it('gives every default for a config without a nextedit block', () => {
    expect(readModelConfig({})).toEqual({
      prompt: { format: 'native@1', name: 'native', version: 1, positions: 'sequential' },
      verifyCandidates: false,
    });
  });

  it('reads the format with its version, the positions layout and the budget in one prompt record', () => {
    const c = read({ prompt_format: 'native', prompt_format_version: 2, positions: 'aligned', budget: { window: 160, history: 96 } });
    expect(c.prompt).toEqual({ format: 'native@2', name: 'native', version: 2, positions: 'aligned', budget: { window: 160, history: 96 } });
    expect(read({ prompt_format: 'native@2' }).prompt.format).toBe('native@2');
  });

  it('reads nextedit.min_confidence, keeping a floor above 1 (hold back everything) and refusing a negative one', () => {
    expect(read({ min_confidence: 0.3 }).minConfidence).toBe(0.3);
    expect(read({ min_confidence: 1.01 }).minConfidence).toBe(1.01);
    expect(() => read({ min_confidence: -0.1 })).toThrow('"nextedit.min_confidence" must be a number from 0 up, not -0.1');
    expect(read({}).minConfidence).toBeUndefined();
    expect(readModelConfig({}).minConfidence).toBeUndefined();
  });

  it('reads the verification floors and the candidates switch', () => {
    expect(read({ min_verified: 0.45, min_location: 0.05, verify_candidates: true })).toMatchObject({
      minVerified: 0.45, minLocation: 0.05, verifyCandidates: true,
    });
  });

  it('reads which own answers may be shown, any when absent, and names the choices for a bad value', () => {
    expect(read({ own_answers: 'line-completion' }).ownAnswers).toBe('line-completion');
    expect(read({ own_answers: 'any' }).ownAnswers).toBe('any');
    expect(read({}).ownAnswers).toBeUndefined();
    expect(() => read({ own_answers: 'lines' })).toThrow('"nextedit.own_answers" must be "any" or "line-completion", not "lines"');
  });

  it('feeds aligned positions only to a model whose config says it was trained with them', () => {
    expect(read({ positions: 'aligned' }).prompt.positions).toBe('aligned');
    expect(read({ positions: 'sequential' }).prompt.positions).toBe('sequential');
    expect(read({ positions: null }).prompt.positions).toBe('sequential');
    expect(readModelConfig({}).prompt.positions).toBe('sequential');
  });

  it('names the file and the key when a value has the wrong type', () => {
    expect(() => read({ min_confidence: '0.3' })).toThrow('nextedit: m/config.json: "nextedit.min_confidence" must be a number from 0 up, not "0.3"');
    expect(() => read({ verify_candidates: 'yes' })).toThrow('"nextedit.verify_candidates" must be true or false');
    expect(() => read({ positions: 'rotated' })).toThrow('"nextedit.positions" must be "aligned" or "sequential", not "rotated"');
    expect(() => read({ prompt_format: 2 })).toThrow('"nextedit.prompt_format" must be a format name, not 2');
    expect(() => read({ prompt_format_version: 1.5 })).toThrow('"nextedit.prompt_format_version" must be a positive integer');
    expect(() => read({ budget: [256] })).toThrow('"nextedit.budget" must be an object of token counts, not an array');
    expect(() => read({ budget: { near: '256' } })).toThrow('"nextedit.budget.near" must be a positive integer, not "256"');
    expect(() => read({ budget: { nearby: 256 } })).toThrow('"nextedit.budget.nearby" must be one of region, near, history, window, diagnostics');
    expect(() => read('native')).toThrow('"nextedit" must be an object, not "native"');
  });

  it('rejects an unknown prompt format, listing the known ones', () => {
    expect(() => read({ prompt_format: 'bogus' })).toThrow(/bogus[\s\S]*native@1/);
  });

  it.each(['tiny-random', 'nextedit-student', 'nextedit-draft'])('reads the bundled %s config', (name) => {
    const config = JSON.parse(readFileSync(`${modelsRoot}/${name}/config.json`, 'utf8'));
    expect(readModelConfig(config).prompt).toMatchObject({ format: 'native@1', budget: { near: 256, history: 256 } });
  });
});
