import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SettledCapture } from './settled-capture.js';
import { parseCases } from '../cases.js';
import type { EditPrediction, PredictRequest, Predictor } from '../types.js';

const stats = { latencyMs: 1, promptTokens: 0, cachedTokens: 0, forwardPasses: 0, generatedTokens: 0, draftProposed: 0, draftAccepted: 0, backend: 'test' };
const text = 'let total = 0;\nconsole.log(sum);\n';
const request: PredictRequest = { path: 'a.js', text, cursor: 9, events: ['--- a/a.js\n+++ b/a.js\n@@ -1 +1 @@\n-let sum = 0;\n+let total = 0;\n'], language: 'javascript' };
const rename: EditPrediction = { edits: [{ from: 27, to: 30, insert: 'total' }], stats };

/** A predictor that answers `answer` to everything. */
const answering = (answer: EditPrediction | null): Predictor => ({ predict: async () => answer });

describe('SettledCapture', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('records nothing unless enabled', async () => {
    const capture = new SettledCapture({ settleMs: 100 });
    const p = await capture.wrap(answering(rename)).predict(request);
    capture.shown(p!);
    capture.edited('a.js', 'x');
    vi.advanceTimersByTime(1000);
    expect(capture.cases()).toEqual([]);
  });

  it('a shown suggestion settles, with the file as it stood after the pause, as an eval-schema case', async () => {
    const capture = new SettledCapture({ settleMs: 100 });
    capture.enabled = true;
    const p = await capture.wrap(answering(rename)).predict(request);
    capture.shown(p!);
    capture.decided(p!, true);
    const accepted = 'let total = 0;\nconsole.log(total, 1);\n';
    vi.advanceTimersByTime(60);
    capture.edited('a.js', accepted);
    vi.advanceTimersByTime(60);
    expect(capture.cases()).toEqual([]); // still editing: not settled yet
    vi.advanceTimersByTime(100);
    const [c] = capture.cases();
    expect(c).toMatchObject({
      path: 'a.js', language: 'javascript', before: text, cursor: 9, after: accepted, events: request.events,
      accepted: true, distance_lines: 1, kind: 'next', source: { repo: 'local', commit: '' },
    });
    expect(c!.suggestion).toBe('let total = 0;\nconsole.log(total);\n');
    const { cases, errors } = parseCases(capture.toJSONL());
    expect(errors).toEqual([]);
    expect(cases).toHaveLength(1);
  });

  it('a rejected or ignored suggestion settles too, and a cross-file one is applied to that file', async () => {
    const capture = new SettledCapture({ settleMs: 100 });
    capture.enabled = true;
    const other = { path: 'b.js', text: 'use(sum);\n' };
    const jump: EditPrediction = { edits: [{ from: 4, to: 7, insert: 'total' }], jump: { path: 'b.js', pos: 4 }, stats };
    const wrapped = capture.wrap(answering(jump));
    const p = await wrapped.predict({ ...request, relatedFiles: [other] });
    capture.shown(p!);
    capture.decided(p!, false);
    const q = await wrapped.predict(request);
    capture.shown({ ...q!, edits: q!.edits }); // a rebased copy: found as the latest request's answer
    capture.flush();
    const cases = capture.cases();
    expect(cases.map((c) => c.accepted)).toEqual([false, null]);
    expect(cases[0]!.suggestion).toBe('use(total);\n');
    expect(cases[0]!.after).toBe(text); // nothing typed since: the file as it was
    expect(new Set(cases.map((c) => c.id)).size).toBe(2);
  });

  it('keeps at most maxCases, and clear() forgets everything', async () => {
    const capture = new SettledCapture({ settleMs: 100, maxCases: 2, maxPending: 1 });
    capture.enabled = true;
    const wrapped = capture.wrap(answering(rename));
    for (let i = 0; i < 4; i++) capture.shown((await wrapped.predict(request))!);
    expect(capture.cases()).toHaveLength(2); // beyond maxPending the oldest settle early
    capture.flush();
    expect(capture.cases()).toHaveLength(2);
    capture.clear();
    expect(capture.toJSONL()).toBe('');
  });
});
