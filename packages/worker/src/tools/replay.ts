// Turn an edit case into a typing session: the case's last event typed
// keystroke by keystroke, one predict request after each keystroke.
import { parseUnifiedDiff, type EditCase, type Hunk, type PredictRequest } from '@nextedit/core';

/** Offset of the start of 0-based line `line` in `text` (the end when past it). */
function lineOffset(text: string, line: number): number {
  let pos = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) return text.length;
    pos = nl + 1;
  }
  return pos;
}

/**
 * The text a one-hunk diff adds and where it sits in the file after it: the
 * new lines between those both sides share at the hunk's start and end (its
 * context).
 */
function lastInsertion(diff: string, after: string): { from: number; added: string } | undefined {
  let hunk: Hunk | undefined;
  try {
    hunk = parseUnifiedDiff(diff).hunks[0];
  } catch {
    return undefined;
  }
  if (!hunk) return undefined;
  const { oldLines, newLines } = hunk;
  let head = 0;
  while (head < oldLines.length && head < newLines.length && oldLines[head] === newLines[head]) head++;
  let tail = 0;
  while (tail < oldLines.length - head && tail < newLines.length - head && oldLines.at(-1 - tail) === newLines.at(-1 - tail)) tail++;
  const added = newLines.slice(head, newLines.length - tail).join('');
  const from = lineOffset(after, hunk.newStart + head);
  if (after.slice(from, from + added.length) !== added) return undefined;
  return { from, added };
}

/**
 * The requests of a typing session that ends in `c` itself: the last event's
 * added text appears one character at a time (at most `maxKeys` keystrokes,
 * the last ones), with that event still pending (not in `events`).
 */
export function typingSession(c: EditCase, maxKeys = 8): PredictRequest[] {
  const final: PredictRequest = { path: c.path, text: c.before, cursor: c.cursor, events: c.events, language: c.language };
  const last = c.events[c.events.length - 1];
  const ins = last ? lastInsertion(last, c.before) : undefined;
  if (!ins) return [final];
  // Type the added text without its final newline: keystrokes inside the line.
  const typed = ins.added.replace(/\n$/, '');
  const head = c.before.slice(0, ins.from);
  const tail = c.before.slice(ins.from + typed.length);
  const events = c.events.slice(0, -1);
  const out: PredictRequest[] = [];
  for (let k = Math.max(0, typed.length - maxKeys); k < typed.length; k++) {
    const text = head + typed.slice(0, k) + tail;
    out.push({ path: c.path, text, cursor: ins.from + k, events, language: c.language });
  }
  out.push(final);
  return out;
}
