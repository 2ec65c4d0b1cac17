// Sweep's next-edit prompt (the sweep-next-edit 0.5B / 1.5B models, Qwen2.5-Coder
// based), laid out as Sweep's own clients build it. Written from the structure
// of sweepai/cursortab.nvim `server/provider/sweep/sweep.go` (the prompt, its
// stop tokens and how an answer is read back), `server/provider/processors.go`
// (`FormatDiffHistoryOriginalUpdated`: the history blocks) and that sweep.go's
// earlier revision (the fixed window: the cursor line, 10 lines above, 10
// below); sweepai/vscode-nes `src/api/client.ts` sends the same pieces
// (recent changes, file chunks) to Sweep's server. Sweep's post on the model
// ("Open sourcing a 1.5B parameter Next-Edit Autocomplete Model") shows the
// original/updated blocks keeping the hunk's context lines, as here.
//
//   [<|file_sep|>{related path}\n{text}\n ...]                                   related files
//   [<|file_sep|>{path}.diff\noriginal:\n{old lines}\nupdated:\n{new lines}\n ...] history, oldest first
//   <|file_sep|>original/{path}\n{the window before this file's last change}\n
//   <|file_sep|>current/{path}\n{the window now}\n
//   <|file_sep|>updated/{path}\n
// Answer: the window rewritten, then <|file_sep|> (or <|endoftext|>). There is
// no cursor marker and no no-edit token: the unchanged window is "no edit".
//
// One deliberate difference: `<|` in user text is escaped (escape.ts) so a
// file cannot put a real special token into the prompt.
import { parseUnifiedDiff, reverseUnifiedDiff, type ParsedDiff } from '../history/diff.js';
import type { PredictRequest, RelatedFile, Tokenizer } from '../types.js';
import { changedRegion, lineOf, lineStarts, recentEvents } from './context.js';
import { cutWindow, tokensWithin, type Span } from './cut.js';
import { escapeMarkers as esc, unescapeMarkers } from './escape.js';
import type { BuiltPrompt, ParsedOutput, PromptBudget, PromptFormat } from './types.js';

export const SWEEP_TOKENS = {
  fileSep: '<|file_sep|>',
  eos: '<|endoftext|>',
} as const;

const T = SWEEP_TOKENS;
const SPECIAL = Object.values(T) as string[];
/** Sweep's clients also stop on `</s>`; a Qwen vocabulary has no such token, so it only matters as text. */
const STOP_TEXT = [T.fileSep, T.eos, '</s>'];

/** The window: the cursor line and this many lines above and below it (21 lines). */
export const SWEEP_WINDOW_LINES = 10;

/** Token budgets: `region` caps the window, `near` the related files, `history` the diff blocks. */
export const DEFAULT_SWEEP_BUDGET = { region: 512, near: 512, history: 512 } as const;

/** A window of whole lines [start, end), as offsets in its document. */
interface Window {
  from: number;
  to: number;
}

/** The window text as the prompt shows it: its lines, each ending with a newline (an empty window is one empty line). */
function shown(text: string): string {
  return text.endsWith('\n') ? text : text + '\n';
}

/** The 21-line window around the cursor, shrunk from its far ends while over `budget` tokens (the cursor line stays, even over it: see `build`). */
export function sweepWindow(text: string, cursor: number, tokenizer: Tokenizer, budget: number): { start: number; end: number } {
  const starts = lineStarts(text);
  const lines = Math.max(1, starts.length - 1);
  const line = lineOf(starts, cursor);
  let start = Math.max(0, line - SWEEP_WINDOW_LINES);
  let end = Math.min(lines, line + SWEEP_WINDOW_LINES + 1);
  // Capped just over the budget: a line too long to tokenize must still subtract back out (Infinity - Infinity is NaN).
  const cost = (i: number) => Math.min(budget + 1, tokensWithin(esc(text.slice(starts[i], starts[i + 1])), tokenizer, budget));
  let total = 0;
  for (let i = start; i < end; i++) total += cost(i);
  while (total > budget && end - start > 1) {
    if (end - 1 - line >= line - start) total -= cost(--end);
    else total -= cost(start++);
  }
  return { start, end };
}

/** A line list as Sweep's blocks show it: joined, without the last line's newline. */
const joined = (lines: string[]) => lines.join('').replace(/\n$/, '');

/** One settled event as Sweep's history blocks, one per hunk; context lines belong to both sides. */
function renderEvent(diff: string): string {
  let parsed: ParsedDiff;
  try {
    parsed = parseUnifiedDiff(diff);
  } catch {
    return '';
  }
  const path = esc(parsed.newPath || 'untitled');
  return parsed.hunks
    .map((h) => [joined(h.oldLines), joined(h.newLines)])
    .filter(([original, updated]) => original !== updated)
    .map(([original, updated]) => `${T.fileSep}${path}.diff\noriginal:\n${esc(original!)}\nupdated:\n${esc(updated!)}\n`)
    .join('');
}

/**
 * The document before `path`'s newest settled event (that event undone); the
 * document as it is when there is none or it no longer applies (as Sweep's
 * clients do without an earlier version).
 */
function previousText(request: PredictRequest): string {
  for (let i = request.events.length - 1; i >= 0; i--) {
    let parsed: ParsedDiff;
    try {
      parsed = parseUnifiedDiff(request.events[i]!);
    } catch {
      continue;
    }
    if (parsed.newPath === request.path) return reverseUnifiedDiff(request.text, request.events[i]!, request.path) ?? request.text;
  }
  return request.text;
}

/** Lines [start, end) of `text` (clamped to its length), as the prompt shows a window. */
function linesOf(text: string, start: number, end: number): string {
  const starts = lineStarts(text);
  const count = starts.length - 1;
  if (start >= count) return shown('');
  return shown(text.slice(starts[start], starts[Math.min(end, count)]));
}

/**
 * Where `window` of `current` was in `previous`, the two differing in one
 * range (this file's last change): edges before the change stay, edges after
 * it shift, edges inside it go to the change's ends.
 */
function mapBack(previous: string, current: string, window: Span): Span {
  const max = Math.min(previous.length, current.length);
  let p = 0;
  while (p < max && previous.charCodeAt(p) === current.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && previous.charCodeAt(previous.length - 1 - s) === current.charCodeAt(current.length - 1 - s)) s++;
  const at = (x: number, side: 'from' | 'to') =>
    x <= p ? x : x >= current.length - s ? x - current.length + previous.length : side === 'from' ? p : previous.length - s;
  return { from: at(window.from, 'from'), to: Math.max(at(window.from, 'from'), at(window.to, 'to')) };
}

/**
 * The window: `sweepWindow`'s lines, or, when the cursor line alone is over
 * the region budget (a minified file), a window of that line around the
 * cursor; and its text before this file's last change, or the window as it is
 * when that text is over the budget (the change split a long line, say).
 */
function chooseWindow(request: PredictRequest, tokenizer: Tokenizer, budget: number): { window: Window; original: string } {
  const { text, cursor } = request;
  const { start, end } = sweepWindow(text, cursor, tokenizer, budget);
  const starts = lineStarts(text);
  let window: Window = { from: starts[start]!, to: starts[end]! };
  let original: string;
  if (end - start === 1 && tokensWithin(esc(text.slice(window.from, window.to)), tokenizer, budget) > budget) {
    window = cutWindow(text, { from: cursor, to: cursor }, window, tokenizer, budget);
    const previous = previousText(request);
    const was = mapBack(previous, text, window);
    original = shown(previous.slice(was.from, was.to));
  } else {
    original = linesOf(previousText(request), start, end);
  }
  if (tokensWithin(esc(original), tokenizer, budget) > budget) original = shown(text.slice(window.from, window.to));
  return { window, original };
}

/** Related files as `<|file_sep|>path\ntext\n` sections, whole files, in order, while they fit `budget`. */
function relatedSections(files: RelatedFile[] | undefined, tokenizer: Tokenizer, budget: number): string {
  let out = '';
  let used = 0;
  for (const f of files ?? []) {
    const section = `${T.fileSep}${esc(f.path)}\n${esc(shown(f.text))}`;
    const n = tokensWithin(section, tokenizer, budget - used);
    if (used + n > budget) break;
    used += n;
    out += section;
  }
  return out;
}

function build(request: PredictRequest, tokenizer: Tokenizer, partialBudget?: Partial<PromptBudget>): BuiltPrompt {
  const budget = { ...DEFAULT_SWEEP_BUDGET, ...partialBudget };
  const { text, path } = request;
  const { window, original } = chooseWindow(request, tokenizer, budget.region);
  const current = text.slice(window.from, window.to);
  // An empty file gets no history (as Sweep's clients build it).
  const history = text === '' ? [] : recentEvents(request.events, renderEvent, tokenizer, budget.history);
  const segments = [
    relatedSections(request.relatedFiles, tokenizer, budget.near),
    history.join(''),
    `${T.fileSep}original/${esc(path)}\n${esc(original)}`,
    `${T.fileSep}current/${esc(path)}\n${esc(shown(current))}`,
    `${T.fileSep}updated/${esc(path)}\n`,
  ].filter((s) => s !== '');
  return {
    text: segments.join(''),
    tokens: segments.flatMap((s) => tokenizer.encode(s)),
    region: { from: window.from, to: window.to, text: current },
    draft: tokenizer.encode(esc(shown(current)) + T.fileSep),
    stopTokenIds: SPECIAL.map((t) => tokenizer.tokenId(t)).filter((id): id is number => id !== undefined),
    document: text,
  };
}

/** Where the answer ends: the first stop text, or -1 (truncated). */
function stopAt(output: string): number {
  let end = -1;
  for (const s of STOP_TEXT) {
    const i = output.indexOf(s);
    if (i >= 0 && (end < 0 || i < end)) end = i;
  }
  return end;
}

const trailingSpace = (s: string) => s.slice(s.trimEnd().length);

/**
 * The rewritten window. As Sweep's clients read it: the text up to the stop
 * token, compared with the window without trailing whitespace (equal: no
 * edit); the window keeps its own trailing whitespace (its final newline,
 * blank lines at its end). Truncated output (no stop token) is no-edit.
 */
function parse(output: string, prompt: BuiltPrompt): ParsedOutput {
  const end = stopAt(output);
  if (end < 0) return { kind: 'no-edit' };
  const body = unescapeMarkers(output.slice(0, end)).trimEnd();
  const old = prompt.region.text;
  if (body === old.trimEnd()) return { kind: 'no-edit' };
  return { kind: 'edit', text: body + trailingSpace(old) };
}

/** Streaming: the window's new text so far, while no stop text has begun. */
function partial(output: string, prompt: BuiltPrompt): { text: string; from: number } | undefined {
  if (STOP_TEXT.some((s) => output.includes(s)) || output.includes('<|')) return undefined;
  return { text: unescapeMarkers(output), from: prompt.region.from };
}

/** Training answer: the window as it is in `after`, or null when the change leaves the window. */
function target(prompt: BuiltPrompt, after: string): string | null {
  if (prompt.document === undefined) return null;
  const text = changedRegion(prompt.document, after, prompt.region.from, prompt.region.to);
  return text === null ? null : esc(shown(text)) + T.fileSep;
}

function unchanged(_output: string, prompt: BuiltPrompt): string {
  return esc(shown(prompt.region.text)) + T.fileSep;
}

export const sweepFormat: PromptFormat = {
  name: 'sweep',
  version: 1,
  specialTokens: SPECIAL,
  stopTokens: SPECIAL,
  stopTexts: STOP_TEXT,
  build,
  parse,
  partial,
  target,
  unchanged,
};
