// nextedit's jump-aware format (native v2). The prompt shows a window of the
// file split into numbered blocks of a few lines; the answer names the block
// it rewrites and gives only that block's new text, so an answer is short and
// an edit twenty lines away is as expressible as one at the cursor.
//
// <|file|>path\n<|history|>…[<|diagnostics|>…]<|region|><|block_0|>…<|block_1|>…<|cursor|>…<|answer|>
// Answer: <|block_k|>new text of block k[<|block_k+1|>new text of block k+1…]<|/block|>, or <|no_edit|>.
//
// Positions: the answer's block marker takes the rotary position of the same
// marker in the prompt and its text counts on from there, so an unchanged
// answer token sits at exactly the position of the token it copies (the
// aligned-positions layout of v1, per block). The cursor marker takes none.
import type { Diagnostic, PredictRequest, Tokenizer } from '../types.js';
import { lineOf, lineStarts, recentEvents } from './context.js';
import { cutWindow } from './cut.js';
import { escapeMarkers as esc, unescapeMarkers } from './escape.js';
import type { BuiltPrompt, ParsedOutput, PromptBudget, PromptFormat, PromptPrefix } from './types.js';

export const MAX_BLOCKS = 24;
/** Lines per block; blocks start at multiples of this line number, so they stay put while the user types. */
export const BLOCK_LINES = 4;

export const NATIVE_V2_TOKENS = {
  file: '<|file|>',
  history: '<|history|>',
  diagnostics: '<|diagnostics|>',
  window: '<|region|>',
  cursor: '<|cursor|>',
  answer: '<|answer|>',
  noEdit: '<|no_edit|>',
  blockEnd: '<|/block|>',
  eos: '<|endoftext|>',
  pad: '<|pad|>',
} as const;

export const blockToken = (i: number): string => `<|block_${i}|>`;
const BLOCK_TOKENS = Array.from({ length: MAX_BLOCKS }, (_, i) => blockToken(i));
const T = NATIVE_V2_TOKENS;
const SPECIAL = [...(Object.values(T) as string[]), ...BLOCK_TOKENS];
const STOP = [T.blockEnd, T.noEdit, T.eos];
const BLOCK_RE = /^<\|block_(\d+)\|>/;

export const DEFAULT_V2_BUDGET = { window: 480, history: 256, diagnostics: 64 } as const;
/** A block longer than this (tokens) is never shown: one minified line must not fill the window. */
const MAX_BLOCK_TOKENS = 256;
/**
 * Answers are one or two short blocks: on 12,804 training answers (v2-mined-s18) p95 is
 * 173 tokens and 2.3% exceed 256. Decoding past this costs seconds on a babbling answer
 * that the parser would most likely turn into no-edit anyway.
 */
export const MAX_ANSWER_TOKENS = 256;
/** Characters per token never exceed this for code, so longer blocks are skipped without tokenizing them. */
const MAX_CHARS_PER_TOKEN = 8;

export interface Span {
  from: number;
  to: number;
}

/**
 * Blocks of BLOCK_LINES lines around the cursor's block, added nearest first
 * (alternating after and before) while they fit `budget` tokens; a block over
 * MAX_BLOCK_TOKENS ends the window on its side. When the cursor's own block
 * is too long to show (a minified line), the one block is a window of the
 * cursor line around the cursor, within both limits.
 */
export function chooseBlocks(text: string, cursor: number, tokenizer: Tokenizer, budget: number, homeCost?: number): Span[] {
  const starts = lineStarts(text);
  const lineCount = Math.max(1, starts.length - 1);
  const blockCount = Math.ceil(lineCount / BLOCK_LINES);
  const span = (b: number): Span => ({
    from: starts[b * BLOCK_LINES]!,
    to: starts[Math.min(lineCount, (b + 1) * BLOCK_LINES)]!,
  });
  const cost = (b: number): number => {
    const { from, to } = span(b);
    if (to - from > MAX_BLOCK_TOKENS * MAX_CHARS_PER_TOKEN) return Infinity;
    const n = tokenizer.encode(text.slice(from, to)).length + 1;
    return n > MAX_BLOCK_TOKENS ? Infinity : n;
  };
  const line = lineOf(starts, cursor);
  const home = Math.floor(line / BLOCK_LINES);
  const homeTokens = cost(home);
  // homeCost: count the cursor's block as this many tokens, so the other blocks stay put while it changes.
  let used = homeCost ?? homeTokens;
  if (homeTokens > budget) {
    const bounds = { from: starts[line]!, to: starts[Math.min(line + 1, lineCount)]! };
    const cut = cutWindow(text, { from: cursor, to: cursor }, bounds, tokenizer, Math.min(budget, MAX_BLOCK_TOKENS) - 1);
    return cut.to > cut.from ? [cut] : [];
  }
  let lo = home;
  let hi = home + 1;
  let up = true;
  let down = true;
  while ((up || down) && hi - lo < MAX_BLOCKS) {
    if (down) {
      const c = hi < blockCount ? cost(hi) : Infinity;
      if (used + c <= budget) {
        used += c;
        hi++;
      } else down = false;
    }
    if (up && hi - lo < MAX_BLOCKS) {
      const c = lo > 0 ? cost(lo - 1) : Infinity;
      if (used + c <= budget) {
        used += c;
        lo--;
      } else up = false;
    }
  }
  return Array.from({ length: hi - lo }, (_, i) => span(lo + i));
}

/** `line N: severity: message` for diagnostics inside the window, within `budget` tokens. */
export function renderDiagnostics(text: string, window: Span, diagnostics: Diagnostic[], tokenizer: Tokenizer, budget: number): string {
  const starts = lineStarts(text);
  let out = '';
  let used = 0;
  for (const d of diagnostics) {
    if (d.to < window.from || d.from > window.to) continue;
    const line = `line ${lineOf(starts, d.from) + 1}: ${d.severity}: ${d.message.replace(/\s+/g, ' ').slice(0, 200)}\n`;
    const n = tokenizer.encode(line).length;
    if (used + n > budget) break;
    used += n;
    out += line;
  }
  return out;
}

/**
 * Position of every token of a prompt (and of an answer after it): sequential,
 * the cursor taking none; after `<|answer|>` a block marker takes the position
 * its twin had in the prompt. Causal, so a cached prefix stays valid.
 */
function blockPositions(tokens: readonly number[], ids: PositionIds): { positions: number[]; markerAt: Map<number, number> } {
  const positions: number[] = [];
  const markerAt = new Map<number, number>();
  let next = 0;
  let answered = false;
  for (const t of tokens) {
    const jump = answered ? markerAt.get(t) : undefined;
    const pos = jump ?? next;
    positions.push(pos);
    if (!answered && ids.blocks.has(t)) markerAt.set(t, pos);
    if (t === ids.answer) answered = true;
    if (t !== ids.cursor) next = pos + 1;
  }
  return { positions, markerAt };
}

interface PositionIds {
  blocks: Set<number>;
  cursor: number;
  answer: number;
}

function positionIds(tokenizer: Tokenizer): PositionIds | undefined {
  const blocks = BLOCK_TOKENS.map((t) => tokenizer.tokenId(t));
  const cursor = tokenizer.tokenId(T.cursor);
  const answer = tokenizer.tokenId(T.answer);
  if (blocks.some((b) => b === undefined) || cursor === undefined || answer === undefined) return undefined;
  return { blocks: new Set(blocks as number[]), cursor, answer };
}

/** Index of the block holding the cursor (the last block also holds its end), or -1. */
export function homeBlock(blocks: readonly Span[], cursor: number): number {
  return blocks.findIndex((b, i) => cursor >= b.from && (cursor < b.to || (i === blocks.length - 1 && cursor === b.to)));
}

/**
 * A block prompt from its segments (tokenized one by one, so an unchanged segment keeps its
 * tokens and the KV cache stays valid): positions per block marker, the unchanged answer as
 * draft, the answer cap and stop tokens. Shared by the block formats (native v2, v3).
 */
export function blockPrompt(segments: string[], text: string, blocks: Span[], window: Span, tokenizer: Tokenizer): BuiltPrompt {
  const tokens = segments.flatMap((s) => tokenizer.encode(s));
  const ids = positionIds(tokenizer);
  const placed = ids ? blockPositions(tokens, ids) : undefined;
  const draft = blocks.map((b, i) => blockToken(i) + esc(text.slice(b.from, b.to)) + T.blockEnd).join('');
  const draftTokens = blocks.length ? tokenizer.encode(draft) : [];
  return {
    text: segments.join(''),
    tokens,
    region: { from: window.from, to: window.to, text: text.slice(window.from, window.to) },
    blocks,
    draft: draftTokens,
    maxAnswerTokens: Math.min(MAX_ANSWER_TOKENS, draftTokens.length + 64),
    stopTokenIds: STOP.map((t) => tokenizer.tokenId(t)).filter((id): id is number => id !== undefined),
    document: text,
    ...(placed
      ? {
          positions: placed.positions,
          nextPosition: (token: number, previous: number) => placed.markerAt.get(token) ?? previous + 1,
        }
      : {}),
  };
}

/** The tokens of a prompt's first segments, placed as blockPrompt places them (positions are causal: a prefix's are the prompt's). */
export function blockPrefix(segments: string[], tokenizer: Tokenizer): PromptPrefix {
  const tokens = segments.flatMap((s) => tokenizer.encode(s));
  const ids = positionIds(tokenizer);
  return ids ? { tokens, positions: blockPositions(tokens, ids).positions } : { tokens };
}

function build(request: PredictRequest, tokenizer: Tokenizer, partial?: Partial<PromptBudget>): BuiltPrompt {
  const budget = { ...DEFAULT_V2_BUDGET, ...partial };
  const { text, cursor } = request;
  const blocks = chooseBlocks(text, cursor, tokenizer, budget.window);
  const window: Span = blocks.length ? { from: blocks[0]!.from, to: blocks[blocks.length - 1]!.to } : { from: cursor, to: cursor };
  const events = recentEvents(request.events, (e) => (e.endsWith('\n') ? e : e + '\n'), tokenizer, budget.history);
  const diagnostics = request.diagnostics?.length
    ? renderDiagnostics(text, window, request.diagnostics, tokenizer, budget.diagnostics)
    : '';
  const home = homeBlock(blocks, cursor);
  const blockSegments = blocks.map((b, i) => {
    const block = text.slice(b.from, b.to);
    const at = cursor - b.from;
    return blockToken(i) + (i !== home ? esc(block) : esc(block.slice(0, at)) + T.cursor + esc(block.slice(at)));
  });

  // Segments are tokenized on their own, so an unchanged segment (each block
  // is one) always yields the same tokens and the KV cache stays valid.
  const all = [
    `${T.file}${esc(request.path)}\n`,
    `${T.history}${esc(events.join(''))}`,
    ...(diagnostics ? [`${T.diagnostics}${esc(diagnostics)}`] : []),
    T.window,
    ...blockSegments,
    T.answer,
  ];
  return blockPrompt(all, text, blocks, window, tokenizer);
}

/**
 * Block answers back to a span of the document. Anything malformed is no-edit,
 * never a corrupt edit: no end marker (truncated), an unknown block, blocks not
 * consecutive, or any other special token inside the text.
 */
function parse(output: string, prompt: BuiltPrompt): ParsedOutput {
  if (output.startsWith(T.noEdit)) return { kind: 'no-edit' };
  const blocks = prompt.blocks ?? [];
  const end = output.indexOf(T.blockEnd);
  if (end < 0) return { kind: 'no-edit' };
  const parts = output.slice(0, end).split(/(?=<\|block_\d+\|>)/);
  let first = -1;
  let text = '';
  for (const [n, part] of parts.entries()) {
    const m = BLOCK_RE.exec(part);
    if (!m) return { kind: 'no-edit' };
    const k = Number(m[1]);
    if (k >= blocks.length || (n === 0 ? false : k !== first + n)) return { kind: 'no-edit' };
    if (n === 0) first = k;
    const body = part.slice(m[0].length);
    if (SPECIAL.some((t) => body.includes(t))) return { kind: 'no-edit' };
    text += unescapeMarkers(body);
  }
  if (first < 0) return { kind: 'no-edit' };
  const last = first + parts.length - 1;
  return { kind: 'edit', text, span: { from: blocks[first]!.from, to: blocks[last]!.to } };
}

/** Streaming: the text of the first block so far, while nothing but its marker precedes it. */
function partial(output: string, prompt: BuiltPrompt): { text: string; from: number } | undefined {
  const m = BLOCK_RE.exec(output);
  const block = m ? prompt.blocks?.[Number(m[1])] : undefined;
  if (!m || !block) return undefined;
  const body = output.slice(m[0].length);
  return SPECIAL.some((t) => body.includes(t)) ? undefined : { text: unescapeMarkers(body), from: block.from };
}

/**
 * Training answer for `after`: the blocks the change touches, each with its
 * new text (the changed text goes to the first, later blocks keep their
 * unchanged tails); null when the change leaves the window.
 */
function target(prompt: BuiltPrompt, after: string): string | null {
  const before = prompt.document;
  const blocks = prompt.blocks;
  if (before === undefined || !blocks) return null;
  if (after === before) return T.noEdit;
  if (blocks.length === 0) return null;
  let p = 0;
  const max = Math.min(before.length, after.length);
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  const changeEnd = before.length - s;
  const inserted = after.slice(p, after.length - s);
  const windowEnd = blocks[blocks.length - 1]!.to;
  if (p < blocks[0]!.from || changeEnd > windowEnd) return null;
  // A pure insertion belongs to the block it starts in (the last block at the window's end).
  const firstIdx = blocks.findIndex((b) => p < b.to || (p === windowEnd && b.to === windowEnd));
  const lastIdx = changeEnd === p ? firstIdx : blocks.findIndex((b) => changeEnd <= b.to);
  if (firstIdx < 0 || lastIdx < 0) return null;
  let answer = '';
  for (let i = firstIdx; i <= lastIdx; i++) {
    const b = blocks[i]!;
    let body = i === firstIdx ? before.slice(b.from, p) + inserted : '';
    if (changeEnd < b.to) body += before.slice(Math.max(b.from, changeEnd), b.to);
    answer += blockToken(i) + esc(body);
  }
  return answer + T.blockEnd;
}

function unchanged(output: string, prompt: BuiltPrompt): string | undefined {
  const parsed = parse(output, prompt);
  const blocks = prompt.blocks ?? [];
  if (parsed.kind !== 'edit' || !parsed.span || prompt.document === undefined) return undefined;
  const first = blocks.findIndex((b) => b.from === parsed.span!.from);
  if (first < 0) return undefined;
  let answer = '';
  for (let i = first; i < blocks.length && blocks[i]!.from < parsed.span.to; i++) {
    answer += blockToken(i) + esc(prompt.document.slice(blocks[i]!.from, blocks[i]!.to));
  }
  return answer + T.blockEnd;
}

export const nativeV2Format: PromptFormat = {
  name: 'native',
  version: 2,
  specialTokens: SPECIAL,
  stopTokens: STOP,
  build,
  parse,
  partial,
  target,
  unchanged,
};
