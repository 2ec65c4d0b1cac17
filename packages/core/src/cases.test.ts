import { describe, expect, it } from 'vitest';
import { caseProblem, caseRequest, parseCases, type EditCase } from './cases.js';

const good: EditCase = { id: 'a', kind: 'repeat', language: 'python', path: 'a.py', events: [], before: 'x = 1\n', cursor: 2, after: 'y = 1\n' };

describe('edit cases', () => {
  it('accepts a case and names what is wrong with anything else', () => {
    expect(caseProblem(good)).toBeUndefined();
    expect(caseProblem([good])).toBe('not an object');
    expect(caseProblem({ ...good, kind: 3 })).toBe('"kind" must be a string');
    expect(caseProblem({ ...good, events: [1] })).toBe('"events" must be an array of strings');
    expect(caseProblem({ ...good, cursor: 9 })).toBe('"cursor" must be an offset into "before" (0-6), not 9');
  });

  it('parses JSONL, reporting malformed lines by number', () => {
    const { cases, errors } = parseCases(`${JSON.stringify(good)}\n{oops\n\n${JSON.stringify({ ...good, path: null })}\n`);
    expect(cases).toEqual([good]);
    expect(errors.map((e) => [e.line, e.message.split(' (')[0]])).toEqual([[2, 'invalid JSON'], [4, '"path" must be a string']]);
  });

  it('asks for the document before the edit, with its history and language', () => {
    expect(caseRequest(good)).toEqual({ path: 'a.py', text: 'x = 1\n', cursor: 2, events: [], language: 'python' });
  });
});
