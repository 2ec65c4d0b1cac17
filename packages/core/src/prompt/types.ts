import type { PredictRequest, Tokenizer } from '../types.js';

/** Token budgets per prompt part; defaults suit a small model. */
export interface PromptBudget {
  /** Editable region (the model rewrites it, so this bounds the answer too). */
  region: number;
  /** Near context: code before plus code after the region. */
  near: number;
  /** Settled edit history. */
  history: number;
}

export const DEFAULT_BUDGET: PromptBudget = { region: 160, near: 512, history: 384 };

export interface BuiltPrompt {
  text: string;
  tokens: number[];
  /** The editable region in the request's document. */
  region: { from: number; to: number; text: string };
  /** Tokens of the answer if nothing changed: region text + end marker. */
  draft: number[];
  stopTokenIds: number[];
  /** The document the prompt was built from (lets `target` check a change lies in the region). */
  document?: string;
  /**
   * Aligned rotary positions of `tokens` (see positions.ts), for models trained
   * with them (config `nextedit.positions: "aligned"`); generated tokens continue
   * one apart after the last. Absent when the format or tokenizer has no markers.
   */
  positions?: number[];
}

export type ParsedOutput = { kind: 'edit'; text: string } | { kind: 'no-edit' };

export interface PromptFormat {
  name: string;
  specialTokens: string[];
  stopTokens: string[];
  build(request: PredictRequest, tokenizer: Tokenizer, budget?: Partial<PromptBudget>): BuiltPrompt;
  /** `output`: decoded answer, including the stop token if generation stopped on one. */
  parse(output: string, prompt: BuiltPrompt): ParsedOutput;
  /** Streaming: new region text so far if `output` (no end marker yet) is a safe prefix of an answer. */
  partial?(output: string, prompt: BuiltPrompt): string | undefined;
  /** Training answer for the document `after`, or null when the change leaves the region. */
  target(prompt: BuiltPrompt, after: string): string | null;
}
