// Edit candidates made without a model: the user's recent substitutions
// repeated at every place they still fit, in this file and in related files.
// A model scores them (predict/); the rule baseline shows the first.
import type { PredictRequest, TextEdit } from '../types.js';
import { lastSubstitution, standsAt, type Substitution } from './substitution.js';

export interface EditCandidate {
  /** Edits against the requested document, or against `path`'s text when set. */
  edits: TextEdit[];
  /** A related file the candidate is in (a cross-file jump). */
  path?: string;
}

export interface CandidateOptions {
  /** Most candidates in the requested document (default 8). */
  max?: number;
  /** Events whose substitutions are repeated, newest first (default 2). */
  events?: number;
}

/**
 * The first `limit` offsets where `sub` stands in `text`: after `cursor` first (nearest first),
 * then before it (from the top). It stops at `limit`: on a 20 MB file every occurrence was
 * collected on each request to use 64 (issue 18 item 1).
 */
function places(text: string, sub: Substitution, cursor: number, limit: number): number[] {
  const out: number[] = [];
  const scan = (from: number, to: number) => {
    for (let p = text.indexOf(sub.old, from); p !== -1 && p < to && out.length < limit; p = text.indexOf(sub.old, p + 1)) {
      if (standsAt(text, p, sub)) out.push(p);
    }
  };
  scan(Math.max(0, cursor), Infinity);
  scan(0, Math.max(0, cursor));
  return out;
}

/** Candidates in the order the rule baseline would try them: the newest event's next place first. */
export function editCandidates(request: PredictRequest, opts: CandidateOptions = {}): EditCandidate[] {
  const max = opts.max ?? 8;
  const subs: Substitution[] = [];
  for (let back = 0; back < (opts.events ?? 2); back++) {
    const sub = lastSubstitution(request.events, back);
    if (sub && !subs.some((s) => s.old === sub.old && s.new === sub.new)) subs.push(sub);
  }
  const out: EditCandidate[] = [];
  const seen = new Set<string>();
  for (const sub of subs) {
    for (const p of places(request.text, sub, request.cursor, max)) {
      const key = `${p}:${sub.old.length}:${sub.new}`;
      if (seen.has(key) || out.length >= max) continue;
      seen.add(key);
      out.push({ edits: [{ from: p, to: p + sub.old.length, insert: sub.new }] });
    }
  }
  for (const file of request.relatedFiles ?? []) {
    if (file.path === request.path) continue;
    for (const sub of subs.slice(0, 1)) {
      const p = places(file.text, sub, 0, 1)[0];
      if (p !== undefined) out.push({ path: file.path, edits: [{ from: p, to: p + sub.old.length, insert: sub.new }] });
    }
  }
  return out;
}

/** The last edit repeated at its next place after the cursor (wrapping to before it): the first candidate. */
export function historyDraft(request: PredictRequest): { pos: number; edit: TextEdit } | undefined {
  const first = editCandidates(request, { max: 1, events: 1 }).find((c) => !c.path);
  return first && { pos: first.edits[0]!.from, edit: first.edits[0]! };
}
