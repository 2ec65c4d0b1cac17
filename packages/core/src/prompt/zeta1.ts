// Zed's Zeta1 layout, so a Zeta-compatible model can be used, checked against
// zed-industries/zed `crates/zeta_prompt/src/zeta_prompt.rs` (its `zeta1`
// module: prompt, events, excerpt, output cleaning) and `crates/zeta_prompt/src/
// excerpt_ranges.rs` (how the editable region and its context are chosen), and
// the older `crates/zeta/src/zeta1.rs` + `zeta1/input_excerpt.rs` (token limits):
// ### Instruction / ### User Edits (per event "User edited <path>:" + ```diff)
// / ### User Excerpt (```path, <|start_of_file|>, editable region markers,
// <|user_cursor_is_here|>) / ### Response. The model answers by reproducing
// the excerpt with the region rewritten; we stop at <|editable_region_end|>.
//
// Zed's row model: a file ending with a newline has one more, empty row, and a
// range ends before its last row's newline, so the region is framed as
// `<|editable_region_start|>\n{rows}\n<|editable_region_end|>{newline + rows after}\n```.
// The region and context grow line by line as Zed's do without a syntax tree
// (core has none): 350 / 150 tokens by default, counted with the model's
// tokenizer (Zed guesses bytes / 3).
import type { PredictRequest, Tokenizer } from '../types.js';
import { changedRegion, recentEvents } from './context.js';
import { cutWindow, tokensWithin } from './cut.js';
import type { BuiltPrompt, ParsedOutput, PromptBudget, PromptFormat } from './types.js';

export const ZETA1_TOKENS = {
  start: '<|editable_region_start|>',
  end: '<|editable_region_end|>',
  cursor: '<|user_cursor_is_here|>',
  startOfFile: '<|start_of_file|>',
  eos: '<|endoftext|>',
} as const;

const Z = ZETA1_TOKENS;
const SPECIAL = Object.values(Z) as string[];
const STOP = [Z.end, Z.eos];
const INSTRUCTION =
  'You are a code completion assistant and your task is to analyze user edits and then rewrite an excerpt that the user provides, suggesting the appropriate edits within the excerpt, taking into account the cursor location.';
const EXCERPT_HEADER = '### User Excerpt:\n\n';

/** Zed's zeta1 limits: editable region 350 tokens, context 150 around it, events 500. */
export const DEFAULT_ZETA1_BUDGET = { region: 350, near: 150, history: 500 } as const;

/**
 * One settled event (a unified diff with ---/+++ headers) as Zeta renders it,
 * `User edited {path}:\n```diff\n{hunks}\n```` with the hunks' lines each
 * ending in a newline (Zed's diffs do), so a blank line precedes the fence.
 * Empty when it holds no hunk.
 */
function renderEvent(diff: string): string {
  const lines = diff.replace(/\n$/, '').split('\n');
  const plus = lines.find((l) => l.startsWith('+++ '));
  const path = plus ? plus.slice(4).replace(/^b\//, '') : 'untitled';
  const body = lines.filter((l) => !l.startsWith('--- ') && !l.startsWith('+++ ')).map((l) => l + '\n').join('');
  return body ? `User edited ${path}:\n\`\`\`diff\n${body}\n\`\`\`` : '';
}

/** Zed's rows: starts of every line, an empty last row after a final newline included. */
function rowStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

interface Rows {
  starts: number[];
  /** End of row `r`, before its newline. */
  end(r: number): number;
  /** Tokens of row `r` without its newline, at least 1 (as Zed counts a line). */
  tokens(r: number): number;
  max: number;
}

/** `cap`: rows longer than any budget count as over it without being tokenized (see cut.ts). */
function rows(text: string, tokenizer: Tokenizer, cap: number): Rows {
  const starts = rowStarts(text);
  const end = (r: number) => (r + 1 < starts.length ? starts[r + 1]! - 1 : text.length);
  const cache = new Map<number, number>();
  const tokens = (r: number) => {
    let n = cache.get(r);
    if (n === undefined) cache.set(r, (n = Math.max(1, tokensWithin(text.slice(starts[r], end(r)), tokenizer, cap))));
    return n;
  };
  return { starts, end, tokens, max: starts.length - 1 };
}

function rowOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

type Span = { start: number; end: number };

/** Zed's symmetric growth from the cursor row: down then up, stopping at the first line that does not fit. */
function expandSymmetric(r: Rows, row: number, budget: number): Span & { left: number } {
  let start = row;
  let end = row;
  let left = Math.max(0, budget - r.tokens(row));
  for (;;) {
    const up = start > 0;
    const down = end < r.max;
    if (left === 0 || (!up && !down)) break;
    if (down) {
      const n = r.tokens(end + 1);
      if (n > left) break;
      end++;
      left -= n;
    }
    if (up && left > 0) {
      const n = r.tokens(start - 1);
      if (n > left) break;
      start--;
      left -= n;
    }
  }
  return { start, end, left };
}

/** Zed's line-wise growth: a line above, then one below (while each fits), until neither does. */
function expandLinewise(r: Rows, span: Span, budget: number): Span {
  let { start, end } = span;
  let left = budget;
  for (;;) {
    if (left === 0 || (start === 0 && end === r.max)) break;
    let grew = false;
    if (start > 0 && r.tokens(start - 1) <= left) {
      left -= r.tokens(--start);
      grew = true;
    }
    if (end < r.max && left > 0 && r.tokens(end + 1) <= left) {
      left -= r.tokens(++end);
      grew = true;
    }
    if (!grew) break;
  }
  return { start, end };
}

/**
 * The editable rows (three quarters of the budget grown symmetrically from the
 * cursor row, the rest line-wise) and the context rows around them, as Zed's
 * excerpt_ranges.rs chooses them when no syntax node fits. A cursor row over
 * the region budget (a minified line; Zed would take it whole) is cut: the
 * region to a window of it around the cursor, the context to a wider one.
 */
export function zeta1Ranges(
  text: string,
  cursor: number,
  tokenizer: Tokenizer,
  budget: { region: number; near: number },
): { editable: { from: number; to: number }; context: { from: number; to: number } } {
  const r = rows(text, tokenizer, budget.region + budget.near);
  const row = rowOf(r.starts, cursor);
  if (r.tokens(row) > budget.region) {
    const bounds = { from: r.starts[row]!, to: r.end(row) };
    const editable = cutWindow(text, { from: cursor, to: cursor }, bounds, tokenizer, budget.region);
    return { editable, context: cutWindow(text, editable, bounds, tokenizer, budget.region + budget.near) };
  }
  const initial = Math.floor((budget.region * 3) / 4);
  const sym = expandSymmetric(r, row, initial);
  const editable = expandLinewise(r, sym, sym.left + budget.region - initial);
  const context = expandLinewise(r, editable, budget.near);
  return {
    editable: { from: r.starts[editable.start]!, to: r.end(editable.end) },
    context: { from: r.starts[context.start]!, to: r.end(context.end) },
  };
}

function build(request: PredictRequest, tokenizer: Tokenizer, partialBudget?: Partial<PromptBudget>): BuiltPrompt {
  const budget = { ...DEFAULT_ZETA1_BUDGET, ...partialBudget };
  const { text, cursor } = request;
  const { editable, context } = zeta1Ranges(text, cursor, tokenizer, budget);
  const events = recentEvents(request.events, renderEvent, tokenizer, budget.history).filter((e) => e !== '');
  const region = text.slice(editable.from, editable.to);
  const head =
    '```' + request.path + '\n' + (context.from === 0 ? Z.startOfFile + '\n' : '') + text.slice(context.from, editable.from) + Z.start + '\n';
  const excerpt =
    head +
    text.slice(editable.from, cursor) +
    Z.cursor +
    text.slice(cursor, editable.to) +
    '\n' +
    Z.end +
    text.slice(editable.to, context.to) +
    '\n```';
  const promptText =
    `### Instruction:\n${INSTRUCTION}\n\n### User Edits:\n\n${events.join('\n\n')}\n\n` + `${EXCERPT_HEADER}${excerpt}\n\n### Response:\n`;
  return {
    text: promptText,
    tokens: tokenizer.encode(promptText),
    region: { from: editable.from, to: editable.to, text: region },
    // Unchanged answer: the excerpt reproduced up to the end marker.
    draft: tokenizer.encode(head + region + '\n' + Z.end),
    stopTokenIds: STOP.map((t) => tokenizer.tokenId(t)).filter((id): id is number => id !== undefined),
    document: text,
  };
}

/**
 * The region's new text, read as Zed's `clean_zeta1_model_output` does: cursor
 * markers dropped, the text after the start marker (and its newline) up to the
 * end marker (less the newline before it). Stricter where Zed guesses: no
 * start or no end marker (truncated), or another marker inside, is no-edit.
 */
function body(output: string): string | undefined {
  const content = output.split(Z.cursor).join('');
  const s = content.indexOf(Z.start);
  if (s < 0) return undefined;
  let from = s + Z.start.length;
  if (content[from] === '\n') from++;
  const e = content.indexOf(Z.end, from);
  if (e < 0) return undefined;
  const to = e > from && content[e - 1] === '\n' ? e - 1 : e;
  const text = content.slice(from, Math.max(from, to));
  return SPECIAL.some((t) => text.includes(t)) ? undefined : text;
}

function parse(output: string): ParsedOutput {
  const text = body(output);
  return text === undefined ? { kind: 'no-edit' } : { kind: 'edit', text };
}

function partial(output: string, prompt: BuiltPrompt): { text: string; from: number } | undefined {
  const s = output.indexOf(Z.start);
  if (s < 0) return undefined;
  let from = s + Z.start.length;
  if (output[from] === '\n') from++;
  const text = output.slice(from).split(Z.cursor).join('');
  return SPECIAL.some((t) => text.includes(t)) ? undefined : { text, from: prompt.region.from };
}

/** The answer head the model repeats: the excerpt's fence, path and context, up to the start marker and its newline. */
function answerHead(prompt: BuiltPrompt): string {
  const excerpt = prompt.text.slice(prompt.text.lastIndexOf(EXCERPT_HEADER) + EXCERPT_HEADER.length);
  return excerpt.slice(0, excerpt.indexOf(Z.start + '\n') + Z.start.length + 1);
}

function target(prompt: BuiltPrompt, after: string): string | null {
  if (prompt.document === undefined) return null;
  const text = changedRegion(prompt.document, after, prompt.region.from, prompt.region.to);
  // Zeta has no no-edit token: the unchanged excerpt is the answer.
  return text === null ? null : answerHead(prompt) + text + '\n' + Z.end;
}

function unchanged(_output: string, prompt: BuiltPrompt): string {
  return answerHead(prompt) + prompt.region.text + '\n' + Z.end;
}

export const zeta1Format: PromptFormat = {
  name: 'zeta1',
  version: 1,
  specialTokens: SPECIAL,
  stopTokens: STOP,
  // A Qwen vocabulary without Zed's added tokens writes the markers in pieces.
  stopTexts: STOP,
  build,
  parse,
  partial,
  target,
  unchanged,
};
