// Opt-in "settled data" capture (as Zed collects it for training): for each
// suggestion shown, the request it answered, what it proposed, whether it was
// accepted, and the file as it stood once the user paused editing. Each record
// is an edit case in the eval schema, so models/train formats it like the mined
// cases. Nothing here sends anything anywhere: the host decides what to do with
// the JSONL (the demo offers it as a download).
import type { EditCase } from '../cases.js';
import { applyEdits, lineNumberAt } from '../edits/index.js';
import type { EditPrediction, PredictOptions, PredictRequest, Predictor } from '../types.js';

// Every host has timers (browser, worker, Node); core's lib (ES2022, no DOM, no
// Node types) does not declare them, so `tsc -p packages/core` and its build failed.
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(id: unknown): void;

export interface SettledCase extends EditCase {
  /** The whole file as the suggestion would have made it (in the suggested file). */
  suggestion: string;
  /** Accepted with Tab (`true`), rejected with Escape (`false`), or left alone (`null`). */
  accepted: boolean | null;
  /** Where the suggestion was made: `local`, since it is the user's own code. */
  source: { repo: 'local'; commit: '' };
  shown_at: string;
}

export interface SettledCaptureOptions {
  /** A pause in editing this long settles what was shown before it (default 10 s, as Zed). */
  settleMs?: number;
  /** Shown suggestions waiting to settle; the oldest settles early beyond it (default 20). */
  maxPending?: number;
  /** Settled cases kept; the oldest go first (default 1000). */
  maxCases?: number;
  /** Called for each case as it settles. */
  onCase?(c: SettledCase): void;
}

interface Pending { request: PredictRequest; prediction: EditPrediction; accepted: boolean | null; shownAt: number }

export class SettledCapture {
  /** Off by default: a host turns it on only with the user's consent. */
  enabled = false;
  private readonly answered = new WeakMap<EditPrediction, PredictRequest>();
  private lastRequest: PredictRequest | undefined;
  private pending: Pending[] = [];
  private readonly latest = new Map<string, string>();
  private settled: SettledCase[] = [];
  private timer: unknown;
  private count = 0;

  constructor(private readonly options: SettledCaptureOptions = {}) {}

  /** `predictor`, with every answer remembered with its request (so `shown` can find it). */
  wrap(predictor: Predictor): Predictor {
    const capture = this;
    return {
      async predict(request: PredictRequest, options?: PredictOptions) {
        const p = await predictor.predict(request, options);
        if (p && capture.enabled) {
          capture.answered.set(p, request);
          capture.lastRequest = request;
        }
        return p;
      },
      ...(predictor.status ? { status: () => predictor.status!() } : {}),
      ...(predictor.onStatus ? { onStatus: (l: Parameters<NonNullable<Predictor['onStatus']>>[0]) => predictor.onStatus!(l) } : {}),
      ...(predictor.dispose ? { dispose: () => predictor.dispose!() } : {}),
    };
  }

  /** The editor showed `prediction` (the extension's `onShow`). */
  shown(prediction: EditPrediction): void {
    if (!this.enabled) return;
    // The editor may show a rebased copy; then it answered the latest request.
    const request = this.answered.get(prediction) ?? this.lastRequest;
    if (!request) return;
    this.pending.push({ request, prediction, accepted: null, shownAt: Date.now() });
    if (this.pending.length > (this.options.maxPending ?? 20)) this.settle(this.pending.splice(0, 1));
    this.arm();
  }

  /** The user accepted (`true`) or rejected (`false`) the latest shown `prediction`. */
  decided(prediction: EditPrediction, accepted: boolean): void {
    const entry = [...this.pending].reverse().find((e) => e.prediction === prediction) ?? this.pending[this.pending.length - 1];
    if (entry && entry.accepted === null) entry.accepted = accepted;
  }

  /** The file `path` now reads `text`: editing goes on, so nothing settles yet. */
  edited(path: string, text: string): void {
    if (!this.enabled) return;
    this.latest.set(path, text);
    if (this.pending.length) this.arm();
  }

  /** Settled cases, oldest first. */
  cases(): SettledCase[] {
    return [...this.settled];
  }

  /** The settled cases as JSONL (one case a line), ready for models/train. */
  toJSONL(): string {
    return this.settled.map((c) => JSON.stringify(c) + '\n').join('');
  }

  /** Forget everything captured (settled and waiting). */
  clear(): void {
    clearTimeout(this.timer);
    this.pending = [];
    this.settled = [];
    this.latest.clear();
  }

  /** Settle now whatever waits (e.g. before a download). */
  flush(): void {
    clearTimeout(this.timer);
    this.settle(this.pending.splice(0));
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.options.settleMs ?? 10_000);
  }

  private settle(entries: Pending[]): void {
    for (const e of entries) {
      const c = this.toCase(e);
      this.settled.push(c);
      this.options.onCase?.(c);
    }
    const max = this.options.maxCases ?? 1000;
    if (this.settled.length > max) this.settled.splice(0, this.settled.length - max);
  }

  private toCase({ request, prediction, accepted, shownAt }: Pending): SettledCase {
    const before = request.text;
    const after = this.latest.get(request.path) ?? before;
    const suggestedPath = prediction.jump?.path ?? request.path;
    const base = suggestedPath === request.path ? before
      : request.relatedFiles?.find((f) => f.path === suggestedPath)?.text ?? '';
    const distance = lineNumberAt(after, firstDifference(before, after)) - lineNumberAt(before, request.cursor);
    return {
      id: `local-${shownAt.toString(36)}-${(this.count++).toString(36)}`,
      kind: distance === 0 ? 'complete' : 'next',
      ...(request.language ? { language: request.language } : {}),
      path: request.path,
      events: request.events,
      before,
      cursor: request.cursor,
      after,
      distance_lines: distance,
      suggestion: applyEdits(base, prediction.edits),
      accepted,
      source: { repo: 'local', commit: '' },
      shown_at: new Date(shownAt).toISOString(),
    };
  }
}

/** Offset of the first character where `a` and `b` differ (their common length if one extends the other). */
function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
