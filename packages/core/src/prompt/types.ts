import type { PredictRequest, Tokenizer } from '../types.js';

/** Token budgets per prompt part; defaults suit a small model. */
export interface PromptBudget {
  /** Editable region (the model rewrites it, so this bounds the answer too). */
  region: number;
  /** Near context: code before plus code after the region. */
  near: number;
  /** Settled edit history. */
  history: number;
  /** Block window (jump-aware formats: native v2). */
  window?: number;
  /** Diagnostics shown in the prompt (native v2). */
  diagnostics?: number;
  /** The event being typed, apart from the settled history (native v3). */
  live?: number;
}

export const DEFAULT_BUDGET: PromptBudget = { region: 160, near: 512, history: 384 };

export interface BuiltPrompt {
  text: string;
  tokens: number[];
  /** The editable region in the request's document. */
  region: { from: number; to: number; text: string };
  /** Tokens of the answer if nothing changed: region text + end marker. */
  draft: number[];
  /** Most answer tokens worth decoding, where the format knows better than the default (draft length + 64). */
  maxAnswerTokens?: number;
  stopTokenIds: number[];
  /** The document the prompt was built from (lets `target` check a change lies in the region). */
  document?: string;
  /**
   * Aligned rotary positions of `tokens` (see positions.ts), for models trained
   * with them (config `nextedit.positions: "aligned"`); generated tokens continue
   * one apart after the last. Absent when the format or tokenizer has no markers.
   */
  positions?: number[];
  /**
   * Position of a generated token given the one before it; absent: one apart.
   * Block formats jump to the rewritten block's position after its marker.
   */
  nextPosition?: (token: number, previous: number) => number;
  /** The window's blocks in the document (jump-aware formats), numbered from 0. */
  blocks?: { from: number; to: number }[];
}

/** The first tokens of a prompt (and their aligned positions, where the format has them). */
export interface PromptPrefix {
  tokens: number[];
  positions?: number[];
}

/** `span`: the document range `text` replaces (default: the region). */
export type ParsedOutput = { kind: 'edit'; text: string; span?: { from: number; to: number } } | { kind: 'no-edit' };

export interface PromptFormat {
  name: string;
  /** Formats keep their name across versions; a model's config names both. */
  version: number;
  specialTokens: string[];
  stopTokens: string[];
  /**
   * Text that ends an answer however the tokenizer splits it: a format whose
   * end markers are text to some models (Zeta's markers in a plain Qwen
   * vocabulary, Sweep's `</s>`) lists them here, and the engine stops when the
   * decoded answer contains one. Absent: only `stopTokens`, as single tokens.
   */
  stopTexts?: string[];
  build(request: PredictRequest, tokenizer: Tokenizer, budget?: Partial<PromptBudget>): BuiltPrompt;
  /** `output`: decoded answer, including the stop token if generation stopped on one. */
  parse(output: string, prompt: BuiltPrompt): ParsedOutput;
  /**
   * Streaming: the new text so far and the document offset it starts at, if
   * `output` (no end marker yet) is a safe prefix of an answer.
   */
  partial?(output: string, prompt: BuiltPrompt): { text: string; from: number } | undefined;
  /**
   * The answer that rewrites the same span as `output` with its text left as
   * it is: the contrast a verified candidate is judged against.
   */
  unchanged?(output: string, prompt: BuiltPrompt): string | undefined;
  /**
   * The tokens every prompt starts with while the user next types here, once the
   * request's events have all settled (the user paused): what a warm-up prefills
   * so the first keystroke after a pause finds them in the KV cache. Absent: the
   * format's prompts have no such prefix beyond the whole prompt.
   */
  settledPrefix?(request: PredictRequest, tokenizer: Tokenizer, budget?: Partial<PromptBudget>): PromptPrefix;
  /** Training answer for the document `after`, or null when the change leaves the region. */
  target(prompt: BuiltPrompt, after: string): string | null;
}
