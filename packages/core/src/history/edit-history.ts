import { applyEdits } from '../edits/index.js';
import type { TextEdit } from '../types.js';
import { unifiedDiff } from './diff.js';

/**
 * A document as `record` reads it: a string, or anything with CodeMirror `Text`'s line API
 * (a `Text` passes as it is, so nothing converts the whole document to a string per keystroke).
 * Line numbers are 1-based; a line's `to` is before its break; breaks count one character.
 */
export interface DocLike {
  readonly length: number;
  readonly lines: number;
  sliceString(from: number, to?: number): string;
  lineAt(pos: number): { number: number; from: number; to: number };
  line(n: number): { number: number; from: number; to: number };
}

export interface EditHistoryOptions {
  maxEvents?: number;
  /** A change within this many lines of the previous one joins its event. */
  coalesceLines?: number;
  /** ... and within this many milliseconds of it. */
  coalesceMs?: number;
  /**
   * Largest event, in characters (UTF-16 code units) of its window before + after the
   * change (default 100,000). A change that would grow the event past it starts a new
   * event; a change larger than it on its own (a huge paste) is not recorded.
   */
  maxEventChars?: number;
  /** Settled events are dropped, oldest first, while their diffs total more characters than this (default 400,000). */
  maxTotalChars?: number;
  now?: () => number;
}

/** Unchanged lines kept around the changed ones: unifiedDiff's default context. */
const CONTEXT = 3;

interface Event {
  path: string;
  /**
   * The event keeps only a window of whole lines around what it changed: from offset `from`
   * (line `startLine`, 0-based; nothing before it changed) `oldText` became `newText`.
   * Every change is folded in with CONTEXT lines either side, so the window's diff is the
   * whole file's (except on lines longer than LONG_LINE_CLIP, cut around the change).
   */
  from: number;
  startLine: number;
  oldText: string;
  newText: string;
  /** Length of the document after the event: with `newText` at `from`, how a next change is known to continue it. */
  afterLength: number;
  /** Time and line of the latest change folded in. */
  time: number;
  line: number;
  /** The rendered diff, once asked for (an event's texts change only through `record`). */
  diff?: string;
}

/** A string as a DocLike: its line starts found once, then binary search. */
class StringDoc implements DocLike {
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}
  get length() {
    return this.text.length;
  }
  get lines() {
    return this.lineStarts().length;
  }
  sliceString(from: number, to = this.text.length) {
    return this.text.slice(from, to);
  }
  private lineStarts(): number[] {
    if (!this.starts) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    return this.starts;
  }
  line(n: number) {
    const starts = this.lineStarts();
    const from = starts[n - 1]!;
    const to = n < starts.length ? starts[n]! - 1 : this.text.length;
    return { number: n, from, to };
  }
  lineAt(pos: number) {
    const starts = this.lineStarts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return this.line(lo + 1);
  }
}

/** A window reaches at most this many characters before and after its change, whatever the line lengths. */
export const LONG_LINE_CLIP = 2000;

/** Never cut between a surrogate pair or between \r and \n. */
function safeCut(doc: DocLike, at: number, dir: -1 | 1): number {
  for (let i = 0; i < 2 && at > 0 && at < doc.length; i++) {
    const pair = doc.sliceString(at - 1, at + 1);
    const hi = pair.charCodeAt(0);
    const lo = pair.charCodeAt(1);
    if (!((hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff) || (hi === 0x0d && lo === 0x0a))) break;
    at += dir;
  }
  return at;
}

/**
 * Whole lines around [from, to] with CONTEXT lines either side: [start offset, end offset
 * (after a break, or the end)). On long lines (a minified file) it is cut LONG_LINE_CLIP
 * characters from the change: the diff then shows that part of the line as its line.
 */
function windowAround(doc: DocLike, from: number, to: number): [number, number] {
  const first = Math.max(1, doc.lineAt(from).number - CONTEXT);
  const last = doc.lineAt(to).number + CONTEXT;
  let start = doc.line(first).from;
  let end = last < doc.lines ? doc.line(last + 1).from : doc.length;
  if (start < from - LONG_LINE_CLIP) start = safeCut(doc, from - LONG_LINE_CLIP, -1);
  if (end > to + LONG_LINE_CLIP) end = safeCut(doc, to + LONG_LINE_CLIP, 1);
  return [start, end];
}

/** Keystrokes coalesced into edit events (as Zed does), rendered as one-hunk diffs. */
export class EditHistory {
  private readonly maxEvents: number;
  private readonly coalesceLines: number;
  private readonly coalesceMs: number;
  private readonly maxEventChars: number;
  private readonly maxTotalChars: number;
  private readonly now: () => number;
  private events: Event[] = [];
  private current: Event | undefined;

  constructor(opts: EditHistoryOptions = {}) {
    this.maxEvents = opts.maxEvents ?? 6;
    this.coalesceLines = opts.coalesceLines ?? 8;
    this.coalesceMs = opts.coalesceMs ?? 1000;
    this.maxEventChars = opts.maxEventChars ?? 100_000;
    this.maxTotalChars = opts.maxTotalChars ?? 400_000;
    this.now = opts.now ?? Date.now;
  }

  /**
   * `before`: the document the changes apply to (offsets against it); a CodeMirror `Text`
   * may be passed as it is. The cost is that of the changed lines, not of the document
   * (a string `before` is scanned once for its line starts).
   * `accepted`: the change is an accepted suggestion. It is an event of its own, joined
   * neither to the user's edit before it nor to what is typed after: folded into the user's
   * rename it made one event spanning several lines, and the rename stopped being recognized.
   */
  record(path: string, before: string | DocLike, changes: TextEdit[], options: { accepted?: boolean } = {}): void {
    if (changes.length === 0) return;
    const doc = typeof before === 'string' ? new StringDoc(before) : before;
    const time = this.now();
    const first = changes[0]!;
    const last = changes[changes.length - 1]!;
    const line = doc.lineAt(first.from).number - 1;
    const [wFrom, wTo] = windowAround(doc, first.from, last.to);
    const grown = changes.reduce((n, c) => n + c.insert.length - (c.to - c.from), doc.length);
    const cur = this.current;
    if (
      !options.accepted &&
      cur &&
      cur.path === path &&
      time - cur.time <= this.coalesceMs &&
      Math.abs(line - cur.line) <= this.coalesceLines &&
      cur.afterLength === doc.length &&
      doc.sliceString(cur.from, cur.from + cur.newText.length) === cur.newText
    ) {
      // The document is the event's after: widen the window to the change's, fold it in.
      const curEnd = cur.from + cur.newText.length;
      const from = Math.min(cur.from, wFrom);
      const to = Math.max(curEnd, wTo);
      const head = doc.sliceString(from, cur.from);
      const tail = doc.sliceString(curEnd, to);
      const oldText = head + cur.oldText + tail;
      const newText = applyEdits(head + cur.newText + tail, shift(changes, from));
      if (oldText.length + newText.length <= this.maxEventChars) {
        const startLine = from === cur.from ? cur.startLine : doc.lineAt(from).number - 1;
        Object.assign(cur, { from, startLine, oldText, newText, afterLength: grown, time, line, diff: undefined });
        return;
      }
    }
    this.settle();
    const oldText = doc.sliceString(wFrom, wTo);
    const newText = applyEdits(oldText, shift(changes, wFrom));
    if (oldText.length + newText.length > this.maxEventChars) return;
    this.current = { path, from: wFrom, startLine: doc.lineAt(wFrom).number - 1, oldText, newText, afterLength: grown, time, line };
    if (options.accepted) this.settle();
  }

  /** Settle the pending event (if it changed anything). */
  settle(): void {
    const cur = this.current;
    this.current = undefined;
    if (!cur || cur.oldText === cur.newText) return;
    this.render(cur);
    this.events.push(cur);
    if (this.events.length > this.maxEvents) this.events.splice(0, this.events.length - this.maxEvents);
    let total = this.events.reduce((n, e) => n + e.diff!.length, 0);
    while (this.events.length && total > this.maxTotalChars) total -= this.events.shift()!.diff!.length;
  }

  private render(e: Event): string {
    return (e.diff ??= unifiedDiff(e.path, e.oldText, e.newText, CONTEXT, e.startLine));
  }

  settled(): string[] {
    if (this.current && this.now() - this.current.time > this.coalesceMs) this.settle();
    return this.events.map((e) => e.diff!);
  }

  pending(): string | undefined {
    const cur = this.current;
    return cur && cur.oldText !== cur.newText ? this.render(cur) : undefined;
  }

  /** The latest event: its window of whole lines around the change (the whole file when small), before and after. */
  lastEvent(): { path: string; before: string; after: string } | undefined {
    const cur = this.current && this.current.oldText !== this.current.newText ? this.current : this.events.at(-1);
    return cur && { path: cur.path, before: cur.oldText, after: cur.newText };
  }

  clear(): void {
    this.events = [];
    this.current = undefined;
  }
}

const shift = (changes: TextEdit[], by: number): TextEdit[] => changes.map((c) => ({ from: c.from - by, to: c.to - by, insert: c.insert }));
