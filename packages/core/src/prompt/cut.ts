// Bounding prompt parts whatever the line lengths: a single minified line can
// be 100 KB, and a region that always holds the whole cursor line then breaks
// the model (ORT bad_alloc, "tensor shape too large"). A line over its budget
// is cut to a window of characters around the cursor instead.
import type { Tokenizer } from '../types.js';

/**
 * Code never packs more characters than this into one token (byte-level BPE
 * merges stay shorter), so a piece longer than budget × this is over budget
 * and is not tokenized at all. Where a tokenizer does pack more (long runs of
 * spaces) the piece is only left out, never let over budget.
 */
export const MAX_CHARS_PER_TOKEN = 8;

/** Tokens of `text`, or Infinity when its length alone puts it over `budget`. */
export function tokensWithin(text: string, tokenizer: Tokenizer, budget: number): number {
  if (text.length > Math.max(0, budget) * MAX_CHARS_PER_TOKEN) return Infinity;
  return tokenizer.encode(text).length;
}

export interface Span {
  from: number;
  to: number;
}

/** A cut window's edges sit on multiples of this many characters, so they stay put while the cursor moves inside a cell. */
export const CUT_GRID = 32;

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** `w` shrunk so neither edge splits a surrogate pair. */
function whole(text: string, w: Span): Span {
  let { from, to } = w;
  if (from > 0 && from < text.length && isLow(text.charCodeAt(from)) && isHigh(text.charCodeAt(from - 1))) from++;
  if (to > from && to < text.length && isLow(text.charCodeAt(to)) && isHigh(text.charCodeAt(to - 1))) to--;
  return { from, to };
}

/** The largest k in [0, max] for which `ok(k)`, given `ok` is monotone; -1 when none. */
function largest(max: number, ok: (k: number) => boolean): number {
  if (!ok(0)) return -1;
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The widest window of `text` that holds `inner`, stays inside `bounds` and is
 * within `budget` tokens: grown by CUT_GRID cells on both sides (edges on the
 * grid, so they are stable), then, if even one cell is over budget, character
 * by character. Never splits a surrogate pair; `inner` itself when nothing
 * around it fits. A few tokenizations of at most budget × MAX_CHARS_PER_TOKEN
 * characters, whatever the length of `bounds`.
 */
export function cutWindow(text: string, inner: Span, bounds: Span, tokenizer: Tokenizer, budget: number): Span {
  const fits = (w: Span) => tokensWithin(text.slice(w.from, w.to), tokenizer, budget) <= budget;
  const cells = (k: number): Span =>
    whole(text, {
      from: Math.max(bounds.from, Math.min(inner.from, Math.floor(inner.from / CUT_GRID) * CUT_GRID - k * CUT_GRID)),
      to: Math.min(bounds.to, Math.max(inner.to, (Math.floor(inner.to / CUT_GRID) + 1 + k) * CUT_GRID)),
    });
  const maxCells = Math.ceil((Math.max(0, budget) * MAX_CHARS_PER_TOKEN) / CUT_GRID / 2);
  const k = largest(maxCells, (k) => fits(cells(k)));
  if (k >= 0) return cells(k);
  const chars = (r: number): Span =>
    whole(text, { from: Math.max(bounds.from, inner.from - r), to: Math.min(bounds.to, inner.to + r) });
  return chars(Math.max(0, largest(CUT_GRID, (r) => fits(chars(r)))));
}
