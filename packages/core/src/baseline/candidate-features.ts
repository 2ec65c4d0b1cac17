// What a rule candidate looks like, as numbers: the evidence a small learned
// verifier (verifier.ts) weighs to say how likely the candidate is the user's
// next edit. Computed from the request alone, in microseconds.
import { lineNumberAt } from '../edits/index.js';
import { parseUnifiedDiff } from '../history/diff.js';
import type { PredictRequest } from '../types.js';
import type { EditCandidate } from './candidates.js';
import { isRename, lastSubstitution, type Substitution } from './substitution.js';

const TOKENS = /[\p{L}\p{N}_$]+|\S/gu;

/** Names of the features, in the order `candidateFeatures` returns them. */
export const CANDIDATE_FEATURES = [
  'bias',
  'rename',
  'anchored',
  'other',
  'log_distance',
  'near',
  'above',
  'log_places',
  'single_place',
  'log_events',
  'repeats',
  'same_line_shape',
  'line_similarity',
  'old_length',
  'new_extends_old',
  'case_change',
  'cursor_at_line_end',
  'python',
  'old_new_similarity',
  'whole_line',
  'new_has_newline',
] as const;

function tokens(s: string): Set<string> {
  return new Set(s.match(TOKENS) ?? []);
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  for (const t of a) if (b.has(t)) inter++;
  return inter / (a.size + b.size - inter);
}

function lineAt(text: string, pos: number): string {
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  const end = text.indexOf('\n', pos);
  return text.slice(start, end < 0 ? text.length : end);
}

/** How many events, newest first, made this same substitution (a rename in progress repeats it). */
function repeats(events: string[], sub: Substitution): number {
  let n = 0;
  for (let back = 0; back < events.length && back < 8; back++) {
    const s = lastSubstitution(events, back);
    if (s && s.old === sub.old && s.new === sub.new) n++;
  }
  return n;
}

/** The line the last event changed, as it was before the change. */
function eventOldLine(events: string[]): string {
  try {
    return parseUnifiedDiff(events[events.length - 1] ?? '').hunks[0]?.oldLines.join('') ?? '';
  } catch {
    return '';
  }
}

/**
 * Features of `candidate` (one edit in the requested document, from the last
 * event's substitution) given `places`, the number of places it fits.
 */
export function candidateFeatures(request: PredictRequest, candidate: EditCandidate, places: number): number[] {
  const sub = lastSubstitution(request.events)!;
  const edit = candidate.edits[0]!;
  const { text, cursor } = request;
  const rename = isRename(sub);
  const anchored = !rename && sub.context !== undefined;
  const distance = lineNumberAt(text, edit.from) - lineNumberAt(text, cursor);
  const target = lineAt(text, edit.from);
  const before = eventOldLine(request.events);
  const shape = (s: string) => s.trim().replace(/[\p{L}\p{N}_$]+/gu, 'w');
  const cursorLine = lineAt(text, cursor);
  return [
    1,
    rename ? 1 : 0,
    anchored ? 1 : 0,
    !rename && !anchored ? 1 : 0,
    Math.log1p(Math.abs(distance)),
    Math.abs(distance) <= 3 ? 1 : 0,
    distance < 0 ? 1 : 0,
    Math.log1p(places),
    places === 1 ? 1 : 0,
    Math.log1p(request.events.length),
    Math.min(3, repeats(request.events, sub)),
    shape(target) === shape(before) ? 1 : 0,
    jaccard(tokens(target), tokens(before)),
    Math.min(1, sub.old.length / 20),
    sub.new.startsWith(sub.old) || sub.new.endsWith(sub.old) ? 1 : 0,
    sub.old.toLowerCase() === sub.new.toLowerCase() ? 1 : 0,
    cursorLine.slice(cursor - (text.lastIndexOf('\n', cursor - 1) + 1)).trim() === '' ? 1 : 0,
    request.language === 'python' || request.path.endsWith('.py') ? 1 : 0,
    // A line rewritten into something unrelated is no pattern to repeat.
    jaccard(tokens(sub.old), tokens(sub.new)),
    sub.old.trim() === before.trim() ? 1 : 0,
    sub.new.includes('\n') ? 1 : 0,
  ];
}
