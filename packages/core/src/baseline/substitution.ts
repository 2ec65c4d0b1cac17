// The user's last change as a substitution to repeat, and where it still stands.
import { parseUnifiedDiff } from '../history/diff.js';
const WORD = /[\p{L}\p{N}_$]/u;
const IDENTIFIER = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

/**
 * A change to repeat: `old` becomes `new`. An insertion is anchored on the
 * token before it; `context` then holds the tokens around that anchor in the
 * edited line, which a place must share (so `log(msg)` -> `log(msg, level)`
 * is not repeated into `interface msg {`).
 */
export interface Substitution {
  old: string;
  new: string;
  context?: { before: string; after: string };
}

const TOKEN = /[\p{L}\p{N}_$]+|\S/u;

/** The token right after `pos` on its line ('' at the line's end), and the one right before. */
function tokenAfter(text: string, pos: number): string {
  const rest = text.slice(pos, text.indexOf('\n', pos) < 0 ? undefined : text.indexOf('\n', pos));
  return TOKEN.exec(rest)?.[0] ?? '';
}
function tokenBefore(text: string, pos: number): string {
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  const head = text.slice(start, pos);
  const m = /([\p{L}\p{N}_$]+|\S)\s*$/u.exec(head);
  return m?.[1] ?? '';
}

/** The change of the event `back` places from the last (0: the last) as old -> new text, widened to whole words. */
export function lastSubstitution(events: string[], back = 0): Substitution | undefined {
  const last = events[events.length - 1 - back];
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
  // An insertion beside a token (`msg` -> `msg, level`) repeats only where that token's neighbours match
  // too; a rename that grows the name (`price` -> `unit_price`) is a plain rename.
  const grows = newText.startsWith(oldText) || newText.endsWith(oldText);
  if (!grows || IDENTIFIER.test(newText)) return { old: oldText, new: newText };
  return { old: oldText, new: newText, context: { before: tokenBefore(a, pre), after: tokenAfter(a, a.length - suf) } };
}

/** An identifier renamed (`price` -> `unit_price`): the change most worth following into other files. */
export function isRename(sub: Substitution): boolean {
  return IDENTIFIER.test(sub.old) && IDENTIFIER.test(sub.new);
}

export function standsAt(text: string, pos: number, sub: Substitution): boolean {
  if (!text.startsWith(sub.old, pos) || text.startsWith(sub.new, pos)) return false;
  // Identifiers must match whole: `foo` is not in `foobar`.
  if (WORD.test(sub.old[0]!) && pos > 0 && WORD.test(text[pos - 1]!)) return false;
  const end = pos + sub.old.length;
  if (WORD.test(sub.old[sub.old.length - 1]!) && end < text.length && WORD.test(text[end]!)) return false;
  if (sub.context && (tokenBefore(text, pos) !== sub.context.before || tokenAfter(text, end) !== sub.context.after)) return false;
  return true;
}

