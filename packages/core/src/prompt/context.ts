// Context selection shared by the formats: the editable region, near context
// and history, all chosen from whole lines so boundaries are stable per keystroke.
import type { PredictRequest, Tokenizer } from '../types.js';
import { cutWindow, tokensWithin, type Span } from './cut.js';
import type { PromptBudget } from './types.js';

/** Region window: lines [anchor - BEFORE, anchor + GRID + AFTER), anchor = cursor line snapped to GRID. */
const GRID = 4;
const BEFORE = 4;
const AFTER = 4;

/** Start offset of every line, plus text.length as a sentinel. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  // Sentinel; an empty text still has one (empty) line.
  if (starts.length === 1 || starts[starts.length - 1] !== text.length) starts.push(text.length);
  return starts;
}

/** Index of the line holding `pos` (lines as given by `lineStarts`). */
export function lineOf(starts: number[], pos: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}

export interface LineRange {
  /** First line. */
  start: number;
  /** One past the last line. */
  end: number;
}

/**
 * The editable region around the cursor, in lines. A grid-snapped window keeps
 * the same boundaries while the user types on a line; only when that window is
 * over budget does it shrink to the lines around the cursor, not crossing a
 * blank line (the enclosing block), the cursor line always included.
 */
export function chooseRegion(text: string, cursor: number, tokenizer: Tokenizer, budget: number): LineRange {
  const starts = lineStarts(text);
  const lines = Math.max(1, starts.length - 1);
  const cursorLine = lineOf(starts, cursor);
  const anchor = Math.floor(cursorLine / GRID) * GRID;
  const start = Math.max(0, anchor - BEFORE);
  const end = Math.min(lines, anchor + GRID + AFTER);
  const cost = (i: number) => tokensWithin(text.slice(starts[i], starts[i + 1]), tokenizer, budget);
  let total = 0;
  for (let i = start; i < end; i++) total += cost(i);
  if (total <= budget) return { start, end };

  const blank = (i: number) => text.slice(starts[i], starts[i + 1]).trim() === '';
  let lo = cursorLine;
  let hi = cursorLine + 1;
  total = cost(cursorLine);
  let up = true;
  let down = true;
  while (up || down) {
    if (down) {
      if (hi < end && !blank(hi) && total + cost(hi) <= budget) total += cost(hi++);
      else down = false;
    }
    if (up) {
      if (lo > start && !blank(lo - 1) && total + cost(lo - 1) <= budget) total += cost(--lo);
      else up = false;
    }
  }
  return { start: lo, end: hi };
}

/**
 * The editable region around the cursor as offsets: `chooseRegion`'s lines,
 * or, when the cursor line alone is over budget (a minified file), a window of
 * that line around the cursor.
 */
export function regionAround(text: string, cursor: number, tokenizer: Tokenizer, budget: number): Span {
  const starts = lineStarts(text);
  const lines = chooseRegion(text, cursor, tokenizer, budget);
  const line = { from: starts[lines.start]!, to: starts[lines.end]! };
  if (lines.end - lines.start > 1 || tokensWithin(text.slice(line.from, line.to), tokenizer, budget) <= budget) return line;
  return cutWindow(text, { from: cursor, to: cursor }, line, tokenizer, budget);
}

/** The longest tail of `text` made of whole lines within `budget` tokens. */
export function tailLines(text: string, tokenizer: Tokenizer, budget: number): string {
  const starts = lineStarts(text);
  let used = 0;
  let i = starts.length - 1;
  while (i > 0) {
    const n = tokensWithin(text.slice(starts[i - 1], starts[i]), tokenizer, budget - used);
    if (used + n > budget) break;
    used += n;
    i--;
  }
  return text.slice(starts[i]);
}

/** The longest head of `text` made of whole lines within `budget` tokens. */
export function headLines(text: string, tokenizer: Tokenizer, budget: number): string {
  const starts = lineStarts(text);
  let used = 0;
  let i = 0;
  while (i < starts.length - 1) {
    const n = tokensWithin(text.slice(starts[i], starts[i + 1]), tokenizer, budget - used);
    if (used + n > budget) break;
    used += n;
    i++;
  }
  return text.slice(0, starts[i]);
}

/** Newest events that fit `budget` (tokens of the rendered event), oldest first. */
export function recentEvents(events: string[], render: (e: string) => string, tokenizer: Tokenizer, budget: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (let i = events.length - 1; i >= 0; i--) {
    const r = render(events[i]);
    const n = tokensWithin(r, tokenizer, budget - used);
    if (used + n > budget) break;
    used += n;
    kept.unshift(r);
  }
  return kept;
}

/**
 * The new region text if `after` differs from `before` only inside
 * [from, to), else null.
 */
export function changedRegion(before: string, after: string, from: number, to: number): string | null {
  const head = before.slice(0, from);
  const tail = before.slice(to);
  if (after.length < head.length + tail.length) return null;
  if (!after.startsWith(head) || !after.endsWith(tail)) return null;
  return after.slice(from, after.length - tail.length);
}

/** Share of the near budget the code after the region may use at most. */
const SUFFIX_SHARE = 0.25;

export interface PromptContext {
  /** The editable region [from, to) and its text. */
  from: number;
  to: number;
  region: string;
  /** Whole lines before the region (nearest last) and after it, within the near budget (a line too long for it ends them). */
  prefix: string;
  suffix: string;
  /** Settled events that fit the history budget, rendered, oldest first. */
  events: string[];
}

/** Region, near context and history for a request: what every format lays out its own way. */
export function selectContext(
  request: PredictRequest,
  tokenizer: Tokenizer,
  budget: PromptBudget,
  renderEvent: (e: string) => string,
): PromptContext {
  const { text, cursor } = request;
  const { from, to } = regionAround(text, cursor, tokenizer, budget.region);
  const suffix = headLines(text.slice(to), tokenizer, Math.floor(budget.near * SUFFIX_SHARE));
  const prefix = tailLines(text.slice(0, from), tokenizer, budget.near - tokenizer.encode(suffix).length);
  const events = recentEvents(request.events, renderEvent, tokenizer, budget.history);
  return { from, to, region: text.slice(from, to), prefix, suffix, events };
}
