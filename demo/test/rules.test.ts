import { describe, expect, it } from 'vitest';
import { DemoRulePredictor, wordChange } from '../src/rules.js';

describe('wordChange', () => {
  it('widens a partial change to the whole word', () => {
    expect(wordChange('let price = 1;', 'let unit_price = 1;')).toEqual({ before: 'price', after: 'unit_price' });
    expect(wordChange('a.quantity + 1', 'a.qty + 1')).toEqual({ before: 'quantity', after: 'qty' });
  });
  it('ignores changes that are not a word substitution', () => {
    expect(wordChange('a + b', 'a + b;')).toBeUndefined();
    expect(wordChange('foo bar', 'foo')).toBeUndefined();
  });
});

describe('DemoRulePredictor', () => {
  it('repeats a rename typed key by key at the next occurrence, wrapping around', async () => {
    const p = new DemoRulePredictor();
    const texts = ['x = n; y = n; z = n', 'x = c; y = n; z = n', 'x = co; y = n; z = n', 'x = cou; y = n; z = n'];
    for (let i = 1; i < texts.length; i++) p.observe('a.js', texts[i - 1]!, texts[i]!, i * 100);
    const text = texts.at(-1)!;
    const next = await p.predict({ path: 'a.js', text, cursor: 7, events: [] });
    expect(next?.edits).toEqual([{ from: 13, to: 14, insert: 'cou' }]);
    const wrapped = await p.predict({ path: 'a.js', text: 'n = 1; x = cou', cursor: 14, events: [] });
    expect(wrapped?.edits).toEqual([{ from: 0, to: 1, insert: 'cou' }]);
    expect(await p.predict({ path: 'b.js', text, cursor: 7, events: [] })).toBeNull();
  });
});
