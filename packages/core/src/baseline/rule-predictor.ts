import { regionEdits } from '../edits/index.js';
import { parseUnifiedDiff } from '../history/diff.js';
import type { EditPrediction, PredictRequest, Predictor, TextEdit } from '../types.js';

const WORD = /[\p{L}\p{N}_$]/u;

/** The last event's change as old -> new text, widened to whole words. */
export function lastSubstitution(events: string[]): { old: string; new: string } | undefined {
  const last = events[events.length - 1];
  if (!last) return undefined;
  let hunk;
  try {
    hunk = parseUnifiedDiff(last).hunks[0];
  } catch {
    return undefined;
  }
  if (!hunk) return undefined;
  const a = hunk.oldLines.join('');
  const b = hunk.newLines.join('');
  if (a === b) return undefined;
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  while (pre > 0 && WORD.test(a[pre - 1]!)) pre--;
  while (suf > 0 && WORD.test(a[a.length - suf]!)) suf--;
  // Too little old text to find again (an insertion): anchor on the token before it.
  if (a.length - suf - pre < 3) while (pre > 0 && /\S/.test(a[pre - 1]!) ) pre--;
  const oldText = a.slice(pre, a.length - suf);
  const newText = b.slice(pre, b.length - suf);
  if (oldText.trim().length === 0 || oldText.includes('\n')) return undefined;
  return { old: oldText, new: newText };
}

function standsAt(text: string, pos: number, sub: { old: string; new: string }): boolean {
  if (!text.startsWith(sub.old, pos) || text.startsWith(sub.new, pos)) return false;
  // Identifiers must match whole: `foo` is not in `foobar`.
  if (WORD.test(sub.old[0]!) && pos > 0 && WORD.test(text[pos - 1]!)) return false;
  const end = pos + sub.old.length;
  if (WORD.test(sub.old[sub.old.length - 1]!) && end < text.length && WORD.test(text[end]!)) return false;
  return true;
}

/** The last edit repeated at its next occurrence after the cursor (wrapping to before it). */
export function historyDraft(request: PredictRequest): { pos: number; edit: TextEdit } | undefined {
  const sub = lastSubstitution(request.events);
  if (!sub) return undefined;
  const { text, cursor } = request;
  const find = (from: number, to: number) => {
    for (let p = text.indexOf(sub.old, from); p !== -1 && p < to; p = text.indexOf(sub.old, p + 1)) {
      if (standsAt(text, p, sub)) return p;
    }
    return -1;
  };
  let pos = find(cursor, text.length);
  if (pos === -1) pos = find(0, cursor);
  if (pos === -1) return undefined;
  return { pos, edit: { from: pos, to: pos + sub.old.length, insert: sub.new } };
}

const lineOf = (text: string, pos: number) => text.slice(0, pos).split('\n').length - 1;

/** Rule-based baseline: repeat the user's last substitution where it applies next. */
export class RulePredictor implements Predictor {
  async predict(request: PredictRequest): Promise<EditPrediction | null> {
    const start = Date.now();
    const draft = historyDraft(request);
    if (!draft) return null;
    const { edit } = draft;
    const edits = regionEdits(request.text.slice(edit.from, edit.to), edit.insert, edit.from);
    if (edits.length === 0) return null;
    const first = edits[0]!;
    const far = Math.abs(lineOf(request.text, first.from) - lineOf(request.text, request.cursor)) > 2;
    return {
      edits,
      cursor: edit.from + edit.insert.length,
      ...(far ? { jump: { pos: first.from } } : {}),
      stats: {
        latencyMs: Date.now() - start,
        promptTokens: 0,
        cachedTokens: 0,
        forwardPasses: 0,
        generatedTokens: 0,
        draftProposed: 0,
        draftAccepted: 0,
        backend: 'rules',
      },
    };
  }
}
