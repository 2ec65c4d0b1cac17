// nextedit's own format, cache-aware by construction: the parts that change
// least come first, the region with the cursor (changes per keystroke) last.
// <|file|>path\n<|suffix|>…<|history|>…<|prefix|>…<|region|>…<|cursor|>…<|/region|><|answer|>
// Answer: new region text<|/region|>, or <|no_edit|>.
import type { PredictRequest, Tokenizer } from '../types.js';
import { changedRegion, selectContext } from './context.js';
import { escapeMarkers as esc, unescapeMarkers } from './escape.js';
import { alignedPositions } from './positions.js';
import { DEFAULT_BUDGET, type BuiltPrompt, type ParsedOutput, type PromptBudget, type PromptFormat } from './types.js';

export const NATIVE_TOKENS = {
  file: '<|file|>',
  suffix: '<|suffix|>',
  history: '<|history|>',
  prefix: '<|prefix|>',
  region: '<|region|>',
  cursor: '<|cursor|>',
  regionEnd: '<|/region|>',
  answer: '<|answer|>',
  noEdit: '<|no_edit|>',
  eos: '<|endoftext|>',
  pad: '<|pad|>',
} as const;

const T = NATIVE_TOKENS;
const SPECIAL = Object.values(T) as string[];
const STOP = [T.regionEnd, T.noEdit, T.eos];

function build(request: PredictRequest, tokenizer: Tokenizer, partial?: Partial<PromptBudget>): BuiltPrompt {
  const budget = { ...DEFAULT_BUDGET, ...partial };
  const { text, cursor } = request;
  const { from, to, region, prefix, suffix, events } = selectContext(request, tokenizer, budget, (e) =>
    e.endsWith('\n') ? e : e + '\n',
  );

  // Each segment is tokenized on its own: an unchanged segment always yields
  // the same tokens, so the KV cache of the previous request stays valid.
  const segments = [
    `${T.file}${esc(request.path)}\n${T.suffix}${esc(suffix)}`,
    `${T.history}${esc(events.join(''))}`,
    `${T.prefix}${esc(prefix)}`,
    `${T.region}${esc(region.slice(0, cursor - from))}${T.cursor}${esc(region.slice(cursor - from))}${T.regionEnd}${T.answer}`,
  ];
  const tokens = segments.flatMap((s) => tokenizer.encode(s));
  const [regionId, cursorId, answerId] = [T.region, T.cursor, T.answer].map((t) => tokenizer.tokenId(t));
  const positions =
    regionId !== undefined && cursorId !== undefined && answerId !== undefined
      ? alignedPositions(tokens, { region: regionId, cursor: cursorId, answer: answerId })
      : undefined;
  return {
    text: segments.join(''),
    tokens,
    region: { from, to, text: region },
    draft: tokenizer.encode(esc(region) + T.regionEnd),
    stopTokenIds: STOP.map((t) => tokenizer.tokenId(t)).filter((id): id is number => id !== undefined),
    document: text,
    ...(positions ? { positions } : {}),
  };
}

/**
 * The answer up to `<|/region|>`. Anything malformed is no-edit, never a
 * corrupt edit: no end marker (truncated), or any special token inside the
 * text. A `<|cursor|>` left in is malformed too: targets never contain it,
 * so a model that emits one is off-distribution and its text is not trusted.
 */
function parse(output: string): ParsedOutput {
  if (output.startsWith(T.noEdit)) return { kind: 'no-edit' };
  const end = output.indexOf(T.regionEnd);
  if (end < 0) return { kind: 'no-edit' };
  const body = output.slice(0, end);
  if (SPECIAL.some((t) => body.includes(t))) return { kind: 'no-edit' };
  return { kind: 'edit', text: unescapeMarkers(body) };
}

/** Streaming: the text so far is a safe prefix only while it holds no marker (markers are single tokens). */
function partial(output: string, prompt: BuiltPrompt): { text: string; from: number } | undefined {
  return SPECIAL.some((t) => output.includes(t)) ? undefined : { text: unescapeMarkers(output), from: prompt.region.from };
}

function target(prompt: BuiltPrompt, after: string): string | null {
  const before = prompt.document;
  if (before === undefined) return null;
  if (after === before) return T.noEdit;
  const text = changedRegion(before, after, prompt.region.from, prompt.region.to);
  return text === null ? null : esc(text) + T.regionEnd;
}

function unchanged(_output: string, prompt: BuiltPrompt): string {
  return esc(prompt.region.text) + T.regionEnd;
}

export const nativeFormat: PromptFormat = {
  name: 'native',
  version: 1,
  specialTokens: SPECIAL,
  stopTokens: STOP,
  build,
  parse,
  partial,
  target,
  unchanged,
};
