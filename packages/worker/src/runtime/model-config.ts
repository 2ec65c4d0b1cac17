// A model's contract with nextedit: the `nextedit` block of its config.json
// (models/train/export.py writes it), read and checked once, when the model
// loads. Everything that prompts or decodes the model takes it from here.
import { getPromptFormat, OWN_ANSWERS, type OwnAnswers, type PromptBudget } from '@nextedit/core';

/** The rotary positions a model was trained with: the prompt format's aligned layout, or one apart. */
export type PositionsLayout = 'aligned' | 'sequential';

/** How the model is prompted: the format it was trained on, its position layout and prompt budget. */
export interface ModelPrompt {
  /** The format as core's registry keys it: `name@version`. */
  format: string;
  name: string;
  version: number;
  positions: PositionsLayout;
  /** Token budgets it was trained with; absent: the format's defaults. */
  budget?: Partial<PromptBudget>;
}

export interface ModelConfig {
  prompt: ModelPrompt;
  /**
   * Floors calibrated on held-out cases (probabilities): below `minConfidence`
   * its own answer is held back; a candidate it verified is shown at a
   * preference of `minVerified` and a location probability of `minLocation`.
   * Absent (or outside 0-1): the predictor's defaults.
   */
  minConfidence?: number;
  minVerified?: number;
  minLocation?: number;
  /** The model was calibrated to verify edit candidates (scoring them costs forward passes). */
  verifyCandidates: boolean;
  /** Which of its own answers may be shown (`any`, or `line-completion` where it is right only there); absent: any. */
  ownAnswers?: OwnAnswers;
}

const BUDGET_KEYS = ['region', 'near', 'history', 'window', 'diagnostics'] as const satisfies readonly (keyof PromptBudget)[];

/**
 * The `nextedit` block of a model's config.json as a typed record. A key of
 * the wrong type throws, naming the key and `where` (the file, for the
 * message); an unknown prompt format throws with core's list of known ones.
 * Absent keys (or null) take their defaults: `native` at version 1, sequential
 * positions, the format's budget, the predictor's floors, no candidates, any own answer.
 */
export function readModelConfig(config: Record<string, unknown>, where = 'config.json'): ModelConfig {
  const fail = (key: string, want: string, got: unknown): never => {
    throw new Error(`nextedit: ${where}: "${key}" must be ${want}, not ${shown(got)}`);
  };
  const raw = config.nextedit ?? {};
  const block = isBlock(raw) ? raw : fail('nextedit', 'an object', raw);
  const value = <T>(key: string, want: string, ok: (v: unknown) => v is T): T | undefined => {
    const v = block[key];
    if (v === null || v === undefined) return undefined;
    return ok(v) ? v : fail(`nextedit.${key}`, want, v);
  };
  // A floor outside 0-1 cannot be a probability: it is ignored (the predictor's default applies).
  // A floor above 1 holds back everything (calibrate.py writes 1.01 when no floor reaches its target).
  const floor = (key: string) => value(key, 'a number from 0 up', isFloor);

  const format = getPromptFormat(
    value('prompt_format', 'a format name', isString) ?? 'native',
    value('prompt_format_version', 'a positive integer', isCount),
  );
  const prompt: ModelPrompt = {
    format: `${format.name}@${format.version}`,
    name: format.name,
    version: format.version,
    positions: value('positions', '"aligned" or "sequential"', isLayout) ?? 'sequential',
  };
  const budget = value('budget', 'an object of token counts', isBlock);
  if (budget) {
    prompt.budget = {};
    for (const [key, n] of Object.entries(budget)) {
      const known = BUDGET_KEYS.find((k) => k === key) ?? fail(`nextedit.budget.${key}`, `one of ${BUDGET_KEYS.join(', ')}`, key);
      prompt.budget[known] = isCount(n) ? n : fail(`nextedit.budget.${key}`, 'a positive integer', n);
    }
  }
  return {
    prompt,
    minConfidence: floor('min_confidence'),
    minVerified: floor('min_verified'),
    minLocation: floor('min_location'),
    verifyCandidates: value('verify_candidates', 'true or false', isBoolean) ?? false,
    ownAnswers: value('own_answers', OWN_ANSWERS.map((o) => JSON.stringify(o)).join(' or '), isOwnAnswers),
  };
}

const isBlock = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isFloor = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isOwnAnswers = (v: unknown): v is OwnAnswers => OWN_ANSWERS.includes(v as OwnAnswers);
const isLayout = (v: unknown): v is PositionsLayout => v === 'aligned' || v === 'sequential';
const shown = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'an array' : String(v));
