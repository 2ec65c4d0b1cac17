// Zed's Zeta1 layout, so a Zeta-compatible model can be used:
// ### Instruction / ### User Edits (per event "User edited <path>:" + ```diff)
// / ### User Excerpt (```path, <|start_of_file|>, editable region markers,
// <|user_cursor_is_here|>) / ### Response. The model answers by reproducing
// the excerpt with the region rewritten; we stop at <|editable_region_end|>.
import type { PredictRequest, Tokenizer } from '../types.js';
import { changedRegion, selectContext } from './context.js';
import { DEFAULT_BUDGET, type BuiltPrompt, type ParsedOutput, type PromptBudget, type PromptFormat } from './types.js';

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

/** One settled event (a unified diff with ---/+++ headers) as Zeta renders it. */
function renderEvent(diff: string): string {
  const lines = diff.replace(/\n$/, '').split('\n');
  const plus = lines.find((l) => l.startsWith('+++ '));
  const path = plus ? plus.slice(4).replace(/^b\//, '') : 'untitled';
  const body = lines.filter((l) => !l.startsWith('--- ') && !l.startsWith('+++ ')).join('\n');
  return `User edited ${path}:\n\`\`\`diff\n${body}\n\`\`\``;
}

/** The region as it sits between the markers: always ends with a newline before the end marker. */
function framed(region: string): string {
  return region.endsWith('\n') ? region : region + '\n';
}

function excerptHead(path: string, prefix: string, atFileStart: boolean): string {
  return '```' + path + '\n' + (atFileStart ? Z.startOfFile + '\n' : '') + prefix + Z.start + '\n';
}

function build(request: PredictRequest, tokenizer: Tokenizer, partialBudget?: Partial<PromptBudget>): BuiltPrompt {
  const budget = { ...DEFAULT_BUDGET, ...partialBudget };
  const { text, cursor } = request;
  const { from, to, region, prefix, suffix, events } = selectContext(request, tokenizer, budget, renderEvent);

  const head = excerptHead(request.path, prefix, prefix.length === from);
  const withCursor = region.slice(0, cursor - from) + Z.cursor + region.slice(cursor - from);
  const tail = Z.end + '\n' + suffix;
  const excerpt = head + framed(withCursor) + (tail.endsWith('\n') ? tail : tail + '\n') + '```';
  const promptText =
    `### Instruction:\n${INSTRUCTION}\n\n### User Edits:\n\n${events.join('\n\n')}\n\n` +
    `${EXCERPT_HEADER}${excerpt}\n\n### Response:\n`;
  return {
    text: promptText,
    tokens: tokenizer.encode(promptText),
    region: { from, to, text: region },
    // Unchanged answer: the excerpt reproduced up to the end marker.
    draft: tokenizer.encode(head + framed(region) + Z.end),
    stopTokenIds: STOP.map((t) => tokenizer.tokenId(t)).filter((id): id is number => id !== undefined),
    document: text,
  };
}

/** The text between the region markers; anything malformed is no-edit. */
function parse(output: string, prompt: BuiltPrompt): ParsedOutput {
  const s = output.indexOf(Z.start + '\n');
  if (s < 0) return { kind: 'no-edit' };
  const rest = output.slice(s + Z.start.length + 1);
  const e = rest.indexOf(Z.end);
  if (e < 0) return { kind: 'no-edit' };
  let body = rest.slice(0, e);
  if (SPECIAL.some((t) => body.includes(t))) return { kind: 'no-edit' };
  // The framing newline added for a region at the end of a file without one.
  if (!prompt.region.text.endsWith('\n')) {
    if (!body.endsWith('\n')) return { kind: 'no-edit' };
    body = body.slice(0, -1);
  }
  return { kind: 'edit', text: body };
}

function partial(output: string, prompt: BuiltPrompt): { text: string; from: number } | undefined {
  const s = output.indexOf(Z.start + '\n');
  if (s < 0) return undefined;
  const body = output.slice(s + Z.start.length + 1);
  return SPECIAL.some((t) => body.includes(t)) ? undefined : { text: body, from: prompt.region.from };
}

function target(prompt: BuiltPrompt, after: string): string | null {
  if (prompt.document === undefined) return null;
  const text = changedRegion(prompt.document, after, prompt.region.from, prompt.region.to);
  if (text === null) return null;
  // Zeta has no no-edit token: the unchanged excerpt is the answer.
  // The answer repeats the excerpt's head (fence, path, context) up to the start marker.
  const excerpt = prompt.text.slice(prompt.text.lastIndexOf(EXCERPT_HEADER) + EXCERPT_HEADER.length);
  const head = excerpt.slice(0, excerpt.indexOf(Z.start + '\n') + Z.start.length + 1);
  return head + framed(text) + Z.end;
}

export const zeta1Format: PromptFormat = {
  name: 'zeta1',
  version: 1,
  specialTokens: SPECIAL,
  stopTokens: STOP,
  build,
  parse,
  partial,
  target,
};
