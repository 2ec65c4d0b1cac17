// Turn an edit case into a typing session: the case's last event typed
// keystroke by keystroke, one predict request after each keystroke, each
// request as the editor extension would send it.
import { EditHistory, parseUnifiedDiff, type EditCase, type Hunk, type PredictRequest } from '@nextedit/core';

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
 * A typing session that ends in `c` itself, as the editor extension sends its
 * requests: the last event's added text appears one character at a time (at
 * most `maxKeys` keystrokes, the last ones), and every request's history ends
 * with the event being typed, rendered by a real EditHistory (what the
 * extension's `[...settled(), pending()]` holds), the case's earlier events
 * before it. The last request is the case's document and cursor with its
 * event typed in full. `paused`: what the extension warms the predictor with
 * in the pause before the user began the event (the document without it, the
 * earlier events settled).
 */
export function replaySession(c: EditCase, maxKeys = 8): { paused: PredictRequest; requests: PredictRequest[] } {
  const final: PredictRequest = { path: c.path, text: c.before, cursor: c.cursor, events: c.events, language: c.language };
  const last = c.events[c.events.length - 1];
  const settled = c.events.slice(0, -1);
  const ins = last ? lastInsertion(last, c.before) : undefined;
  if (!ins) return { paused: { ...final, events: settled }, requests: [final] };
  // Type the added text without its final newline: keystrokes inside the line.
  const typed = ins.added.replace(/\n$/, '');
  const head = c.before.slice(0, ins.from);
  const tail = c.before.slice(ins.from + typed.length);
  // One event: every keystroke at the same moment and line, so the history folds them together.
  const history = new EditHistory({ now: () => 0 });
  const type = (from: number, to: number) =>
    history.record(c.path, head + typed.slice(0, from) + tail, [{ from: ins.from + from, to: ins.from + from, insert: typed.slice(from, to) }]);
  const start = Math.max(0, typed.length - maxKeys);
  const paused: PredictRequest = { path: c.path, text: head + tail, cursor: ins.from, events: settled, language: c.language };
  if (start > 0) type(0, start);
  const out: PredictRequest[] = [];
  for (let k = start; k <= typed.length; k++) {
    if (k > start) type(k - 1, k);
    const pending = history.pending();
    out.push({
      path: c.path,
      text: head + typed.slice(0, k) + tail,
      cursor: k === typed.length ? c.cursor : ins.from + k,
      events: pending ? [...settled, pending] : settled,
      language: c.language,
    });
  }
  return { paused, requests: out };
}

/** The requests of `replaySession`. */
export function typingSession(c: EditCase, maxKeys = 8): PredictRequest[] {
  return replaySession(c, maxKeys).requests;
}
