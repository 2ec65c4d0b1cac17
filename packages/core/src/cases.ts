// Edit cases: the one record eval, the bench and training read (JSONL, one
// case a line, the eval SCHEMA.md): a document just before its next edit, the
// edit history that led there, and the document after the edit.
import type { PredictRequest } from './types.js';

export interface EditCase {
  id: string;
  /** What kind of next edit it is (`repeat`, `complete`, `next`, ...): results are reported per kind. */
  kind: string;
  language?: string;
  path: string;
  /** Settled edit history, oldest first, as unified diffs (the last one is the edit just made). */
  events: string[];
  before: string;
  cursor: number;
  after: string;
  /** Lines between the cursor and the next edit. */
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
    return `"cursor" must be an offset into "before" (0-${before.length}), not ${JSON.stringify(cursor)}`;
  }
  return undefined;
}

/** One JSONL line as a case, or why it is none. */
export function parseCase(line: string): { case: EditCase } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return { problem: `invalid JSON (${(e as Error).message})` };
  }
  const problem = caseProblem(value);
  return problem ? { problem } : { case: value as EditCase };
}

/** The cases of a JSONL text; a malformed line is reported by its number (1-based) and skipped. */
export function parseCases(jsonl: string): { cases: EditCase[]; errors: CaseError[] } {
  const cases: EditCase[] = [];
  const errors: CaseError[] = [];
  jsonl.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    const parsed = parseCase(raw);
    if ('problem' in parsed) errors.push({ line: i + 1, message: parsed.problem });
    else cases.push(parsed.case);
  });
  return { cases, errors };
}

/** What a predictor is asked for the case: the document before the edit, with its history. */
export function caseRequest(c: EditCase): PredictRequest {
  return {
    path: c.path,
    text: c.before,
    cursor: c.cursor,
    events: c.events,
    ...(c.language ? { language: c.language } : {}),
  };
}
