// nextedit's jump-aware format, append-mostly (native v3): native v2's blocks
// and answers, in an order that keeps the KV cache valid while the user types.
// What changes on a keystroke comes last: the event being typed and the
// cursor's block; what changes when an event settles (the settled history)
// and what stays put while typing in one block (the other blocks) come first.
//
// <|file|>path\n<|history|>settled…<|region|><|block_0|>…<|block_2|>…[<|diagnostics|>…]<|history|>being typed…<|block_1|>…<|cursor|>…<|answer|>
// Answer: as native v2 (<|block_k|>new text…<|/block|>, or <|no_edit|>); blocks keep document numbers.
//
// The other blocks are chosen as if the cursor's block cost HOME_RESERVE
// tokens, so they do not move while it grows or shrinks. Events are shown
// without context lines.
import type { PredictRequest, Tokenizer } from '../types.js';
import { withoutContext } from '../history/diff.js';
import { recentEvents } from './context.js';
import { escapeMarkers as esc } from './escape.js';
import {
  blockPrefix,
  blockPrompt,
  blockToken,
  chooseBlocks,
  DEFAULT_V2_BUDGET,
  homeBlock,
  nativeV2Format,
  NATIVE_V2_TOKENS as T,
  renderDiagnostics,
} from './native-v2.js';
import type { BuiltPrompt, PromptBudget, PromptFormat, PromptPrefix } from './types.js';

export const DEFAULT_V3_BUDGET = { ...DEFAULT_V2_BUDGET, live: 160 } as const;
/** Tokens the window sets aside for the cursor's block when choosing the others. */
export const HOME_RESERVE = 96;

// Events as mined training events are written: hunks without context lines (the window shows the code
// around them). The editor's history keeps 3 context lines, which made the event being typed 2-3x longer.
const render = (e: string) => {
  const z = withoutContext(e);
  return z.endsWith('\n') ? z : z + '\n';
};

/**
 * The prompt's segments; `live`: index of the event being typed. `allSettled`: every event
 * has settled (the user paused), so none is being typed.
 */
function segments(request: PredictRequest, tokenizer: Tokenizer, partial: Partial<PromptBudget> | undefined, allSettled: boolean) {
  const budget = { ...DEFAULT_V3_BUDGET, ...partial };
  const { text, cursor } = request;
  const blocks = chooseBlocks(text, cursor, tokenizer, budget.window, HOME_RESERVE);
  const window = blocks.length ? { from: blocks[0]!.from, to: blocks[blocks.length - 1]!.to } : { from: cursor, to: cursor };
  const home = homeBlock(blocks, cursor);
  // The last event is the one being typed (the extension sends it last); the rest have settled.
  const split = allSettled ? request.events.length : -1;
  const settled = recentEvents(request.events.slice(0, split), render, tokenizer, budget.history);
  const live = allSettled ? [] : recentEvents(request.events.slice(-1), render, tokenizer, budget.live);
  const diagnostics = request.diagnostics?.length
    ? renderDiagnostics(text, window, request.diagnostics, tokenizer, budget.diagnostics)
    : '';
  const blockSegment = (i: number) => {
    const b = blocks[i]!;
    const block = text.slice(b.from, b.to);
    if (i !== home) return blockToken(i) + esc(block);
    const at = cursor - b.from;
    return blockToken(i) + esc(block.slice(0, at)) + T.cursor + esc(block.slice(at));
  };
  const others = blocks.map((_, i) => i).filter((i) => i !== home);

  const before = [
    `${T.file}${esc(request.path)}\n`,
    `${T.history}${esc(settled.join(''))}`,
    T.window,
    ...others.map(blockSegment),
    ...(diagnostics ? [`${T.diagnostics}${esc(diagnostics)}`] : []),
  ];
  const all = [...before, `${T.history}${esc(live.join(''))}`, ...(home >= 0 ? [blockSegment(home)] : []), T.answer];
  return { all, live: before.length, blocks, window };
}

function build(request: PredictRequest, tokenizer: Tokenizer, partial?: Partial<PromptBudget>): BuiltPrompt {
  const { all, blocks, window } = segments(request, tokenizer, partial, false);
  return blockPrompt(all, request.text, blocks, window, tokenizer);
}

/** Everything before the event being typed, with the request's events all settled. */
function settledPrefix(request: PredictRequest, tokenizer: Tokenizer, partial?: Partial<PromptBudget>): PromptPrefix {
  const { all, live } = segments(request, tokenizer, partial, true);
  return blockPrefix(all.slice(0, live), tokenizer);
}

/** native v2's answers, tokens and parsing; only the prompt's order differs. */
export const nativeV3Format: PromptFormat = { ...nativeV2Format, version: 3, build, settledPrefix };
