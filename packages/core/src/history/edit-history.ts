import { applyEdits } from '../edits/index.js';
import type { TextEdit } from '../types.js';
import { unifiedDiff } from './diff.js';

export interface EditHistoryOptions {
  maxEvents?: number;
  /** A change within this many lines of the previous one joins its event. */
  coalesceLines?: number;
  /** ... and within this many milliseconds of it. */
  coalesceMs?: number;
  now?: () => number;
}

interface Event {
  path: string;
  before: string;
  after: string;
  /** Time and line of the latest change folded in. */
  time: number;
  line: number;
}

const lineOf = (text: string, pos: number) => {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

/** Keystrokes coalesced into edit events (as Zed does), rendered as one-hunk diffs. */
export class EditHistory {
  private readonly maxEvents: number;
  private readonly coalesceLines: number;
  private readonly coalesceMs: number;
  private readonly now: () => number;
  private events: Event[] = [];
  private current: Event | undefined;

  constructor(opts: EditHistoryOptions = {}) {
    this.maxEvents = opts.maxEvents ?? 6;
    this.coalesceLines = opts.coalesceLines ?? 8;
    this.coalesceMs = opts.coalesceMs ?? 1000;
    this.now = opts.now ?? Date.now;
  }

  /**
   * `accepted`: the change is an accepted suggestion. It is an event of its own, joined
   * neither to the user's edit before it nor to what is typed after: folded into the user's
   * rename it made one event spanning several lines, and the rename stopped being recognized.
   */
  record(path: string, before: string, changes: TextEdit[], options: { accepted?: boolean } = {}): void {
    if (changes.length === 0) return;
    const after = applyEdits(before, changes);
    const time = this.now();
    const line = lineOf(before, changes[0]!.from);
    if (options.accepted) {
      this.settle();
      this.current = { path, before, after, time, line };
      this.settle();
      return;
    }
    const cur = this.current;
    if (
      cur &&
      cur.path === path &&
      cur.after === before &&
      time - cur.time <= this.coalesceMs &&
      Math.abs(line - cur.line) <= this.coalesceLines
    ) {
      Object.assign(cur, { after, time, line });
      return;
    }
    this.settle();
    this.current = { path, before, after, time, line };
  }

  /** Settle the pending event (if it changed anything). */
  settle(): void {
    const cur = this.current;
    this.current = undefined;
    if (!cur || cur.before === cur.after) return;
    this.events.push(cur);
    if (this.events.length > this.maxEvents) this.events.splice(0, this.events.length - this.maxEvents);
  }

  settled(): string[] {
    if (this.current && this.now() - this.current.time > this.coalesceMs) this.settle();
    return this.events.map((e) => unifiedDiff(e.path, e.before, e.after));
  }

  pending(): string | undefined {
    const cur = this.current;
    return cur && cur.before !== cur.after ? unifiedDiff(cur.path, cur.before, cur.after) : undefined;
  }

  lastEvent(): { path: string; before: string; after: string } | undefined {
    const cur = this.current && this.current.before !== this.current.after ? this.current : this.events.at(-1);
    return cur && { path: cur.path, before: cur.before, after: cur.after };
  }

  clear(): void {
    this.events = [];
    this.current = undefined;
  }
}
