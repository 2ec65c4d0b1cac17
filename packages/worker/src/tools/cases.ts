// Reading eval cases (JSONL, schema in the eval SCHEMA.md): one case a line,
// malformed lines reported by line number and skipped.
import type { PredictRequest } from '@nextedit/core';

export interface EvalCase {
  id: string;
  kind: string;
  language?: string;
  path: string;
  events: string[];
  before: string;
  cursor: number;
  after: string;
  distance_lines?: number;
}

export interface CaseError {
  line: number;
  message: string;
}

/** Why `value` is not a case, or undefined when it is one. */
export function caseProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const c = value as Record<string, unknown>;
  for (const key of ['id', 'kind', 'path', 'before', 'after'] as const) {
    if (typeof c[key] !== 'string') return `"${key}" must be a string`;
  }
  if (!Array.isArray(c.events) || !c.events.every((e) => typeof e === 'string')) return '"events" must be an array of strings';
  const { cursor, before } = c as { cursor: unknown; before: string };
  if (typeof cursor !== 'number' || !Number.isInteger(cursor) || cursor < 0 || cursor > before.length) {
    return '"cursor" must be an offset into "before"';
  }
  return undefined;
}

export function parseCases(jsonl: string): { cases: EvalCase[]; errors: CaseError[] } {
  const cases: EvalCase[] = [];
  const errors: CaseError[] = [];
  jsonl.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      errors.push({ line: i + 1, message: `invalid JSON (${(e as Error).message})` });
      return;
    }
    const problem = caseProblem(value);
    if (problem) errors.push({ line: i + 1, message: problem });
    else cases.push(value as EvalCase);
  });
  return { cases, errors };
}

export function caseRequest(c: EvalCase): PredictRequest {
  return {
    path: c.path,
    text: c.before,
    cursor: c.cursor,
    events: c.events,
    ...(c.language ? { language: c.language } : {}),
  };
}
