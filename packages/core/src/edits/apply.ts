import type { TextEdit } from '../types.js';

/** Apply sorted, non-overlapping edits (offsets against `text`). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = '';
  let pos = 0;
  for (const e of edits) {
    out += text.slice(pos, e.from) + e.insert;
    pos = e.to;
  }
  return out + text.slice(pos);
}
