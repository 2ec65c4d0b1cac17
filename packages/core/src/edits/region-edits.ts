import { diffLines } from 'diff';
import type { TextEdit } from '../types.js';

/** Never cut between a surrogate pair or between \r and \n. */
function unsafeCut(text: string, at: number): boolean {
  if (at <= 0 || at >= text.length) return false;
  const prev = text.charCodeAt(at - 1);
  const next = text.charCodeAt(at);
  const splitsPair = prev >= 0xd800 && prev <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
  return splitsPair || (prev === 0x0d && next === 0x0a);
}

/** One replacement `a` -> `b`, with the common prefix and suffix trimmed. */
function trimmed(a: string, b: string, offset: number): TextEdit | undefined {
  if (a === b) return undefined;
  const max = Math.min(a.length, b.length);
  let p = 0;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  while (p > 0 && (unsafeCut(a, p) || unsafeCut(b, p))) p--;
  let s = 0;
  while (s < max - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  while (s > 0 && (unsafeCut(a, a.length - s) || unsafeCut(b, b.length - s))) s--;
  return { from: offset + p, to: offset + a.length - s, insert: b.slice(p, b.length - s) };
}

/**
 * Minimal edits turning `oldText` (which sits at `offset` in the document)
 * into `newText`. Changes separated by at least one unchanged line become
 * separate edits, so a far-apart pair is not one big replacement.
 */
export function regionEdits(oldText: string, newText: string, offset: number): TextEdit[] {
  if (oldText === newText) return [];
  const edits: TextEdit[] = [];
  let oldPos = 0;
  let hunkOld = '';
  let hunkNew = '';
  let hunkStart = -1;
  const flush = () => {
    if (hunkStart < 0) return;
    const e = trimmed(hunkOld, hunkNew, offset + hunkStart);
    if (e) edits.push(e);
    hunkOld = hunkNew = '';
    hunkStart = -1;
  };
  for (const part of diffLines(oldText, newText)) {
    if (!part.added && !part.removed) {
      flush();
      oldPos += part.value.length;
      continue;
    }
    if (hunkStart < 0) hunkStart = oldPos;
    if (part.removed) {
      hunkOld += part.value;
      oldPos += part.value.length;
    } else {
      hunkNew += part.value;
    }
  }
  flush();
  return edits;
}
