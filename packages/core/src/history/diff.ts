import { diffLines } from 'diff';

/** Lines with their terminators kept, so CRLF and a missing final newline survive. */
function splitLines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

function renderLine(prefix: string, line: string): string {
  return line.endsWith('\n')
    ? prefix + line
    : `${prefix}${line}\n\\ No newline at end of file\n`;
}

/**
 * One-hunk unified diff of `before` -> `after`: the span from the first to the
 * last changed line (jsdiff orders the -/+ lines inside), plus `context` lines.
 * `firstLine`: `before` and `after` are a window of whole lines starting at this
 * (0-based) line of a larger file, the same in both; the header numbers count from it.
 * With at least `context` unchanged lines at each end of the window (or the window
 * reaching the file's start / end) the diff is the one of the whole files.
 * `newFirstLine`: where the window starts in the new file, when earlier changes moved it.
 */
export function unifiedDiff(path: string, before: string, after: string, context = 3, firstLine = 0, newFirstLine = firstLine): string {
  const a = splitLines(before);
  const b = splitLines(after);
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const head = Math.max(0, pre - context);
  const tail = Math.min(suf, context);
  const body: string[] = [];
  for (const l of a.slice(head, pre)) body.push(renderLine(' ', l));
  const mid = diffLines(a.slice(pre, a.length - suf).join(''), b.slice(pre, b.length - suf).join(''));
  for (const part of mid) {
    const prefix = part.added ? '+' : part.removed ? '-' : ' ';
    for (const l of splitLines(part.value)) body.push(renderLine(prefix, l));
  }
  for (const l of a.slice(a.length - suf, a.length - suf + tail)) body.push(renderLine(' ', l));
  const oldCount = a.length - suf + tail - head;
  const newCount = b.length - suf + tail - head;
  const range = (start: number, count: number) => `${count === 0 ? start + head : start + head + 1},${count}`;
  return `--- a/${path}\n+++ b/${path}\n@@ -${range(firstLine, oldCount)} +${range(newFirstLine, newCount)} @@\n${body.join('')}`;
}

/**
 * The same change with no context lines, hunk by hunk (as mined training events
 * are written). A diff that does not parse is returned as it is.
 */
export function withoutContext(diff: string): string {
  let parsed: ParsedDiff;
  try {
    parsed = parseUnifiedDiff(diff);
  } catch {
    return diff;
  }
  if (parsed.hunks.length === 0) return diff;
  const path = parsed.newPath || parsed.oldPath;
  // Each hunk rendered again with no context; a zero-length side's start names the line before, as unifiedDiff's does.
  const hunks = parsed.hunks.map((h) => {
    const diff = unifiedDiff(path, h.oldLines.join(''), h.newLines.join(''), 0, h.oldStart, h.newStart);
    return diff.slice(diff.indexOf('@@'));
  });
  return `--- a/${path}\n+++ b/${path}\n${hunks.join('')}`;
}

export interface Hunk {
  oldStart: number;
  newStart: number;
  /** Old and new lines of the hunk, with terminators. */
  oldLines: string[];
  newLines: string[];
}

export interface ParsedDiff {
  oldPath: string;
  newPath: string;
  hunks: Hunk[];
}

/** Parse a unified diff (as `unifiedDiff` writes it, or with 0 context lines). */
export function parseUnifiedDiff(diff: string): ParsedDiff {
  const lines = diff.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const out: ParsedDiff = { oldPath: '', newPath: '', hunks: [] };
  let hunk: Hunk | undefined;
  let lastTarget: string[][] = [];
  for (const line of lines) {
    if (!hunk && line.startsWith('--- ')) out.oldPath = line.slice(4).replace(/^a\//, '');
    else if (!hunk && line.startsWith('+++ ')) out.newPath = line.slice(4).replace(/^b\//, '');
    else if (line.startsWith('@@')) {
      const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!m) throw new Error(`bad hunk header: ${line}`);
      const oldCount = m[2] === undefined ? 1 : Number(m[2]);
      const newCount = m[4] === undefined ? 1 : Number(m[4]);
      // A zero-length side names the line before the change.
      hunk = {
        oldStart: oldCount === 0 ? Number(m[1]) : Number(m[1]) - 1,
        newStart: newCount === 0 ? Number(m[3]) : Number(m[3]) - 1,
        oldLines: [],
        newLines: [],
      };
      out.hunks.push(hunk);
    } else if (hunk && line.startsWith('\\')) {
      for (const t of lastTarget) t[t.length - 1] = t[t.length - 1]!.replace(/\n$/, '');
    } else if (hunk) {
      const text = line.slice(1) + '\n';
      const tag = line[0];
      lastTarget = tag === '-' ? [hunk.oldLines] : tag === '+' ? [hunk.newLines] : [hunk.oldLines, hunk.newLines];
      if (tag !== '-' && tag !== '+' && tag !== ' ' && line !== '') throw new Error(`bad diff line: ${line}`);
      for (const t of lastTarget) t.push(text);
    }
  }
  return out;
}

function applyHunks(text: string, hunks: Hunk[], reverse: boolean): string | undefined {
  const lines = splitLines(text);
  let shift = 0;
  for (const h of hunks) {
    const from = reverse ? h.newLines : h.oldLines;
    const to = reverse ? h.oldLines : h.newLines;
    const start = (reverse ? h.newStart : h.oldStart) + shift;
    if (start < 0 || start + from.length > lines.length) return undefined;
    for (let i = 0; i < from.length; i++) if (lines[start + i] !== from[i]) return undefined;
    lines.splice(start, from.length, ...to);
    shift += to.length - from.length;
  }
  return lines.join('');
}

/** Apply a unified diff; throws when a hunk does not match the text. */
export function applyUnifiedDiff(text: string, diff: string): string {
  const out = applyHunks(text, parseUnifiedDiff(diff).hunks, false);
  if (out === undefined) throw new Error('diff does not apply');
  return out;
}

/** The text before `diff` was applied, or undefined when it does not match (or is for another path). */
export function reverseUnifiedDiff(text: string, diff: string, path?: string): string | undefined {
  let parsed: ParsedDiff;
  try {
    parsed = parseUnifiedDiff(diff);
  } catch {
    return undefined;
  }
  if (path !== undefined && parsed.newPath !== path) return undefined;
  return applyHunks(text, [...parsed.hunks].reverse(), true);
}
