// The in-process predictor: request -> prompt -> engine -> parsed edits.
import { DraftPolicy, generate, PrefixCache, type DecodeMode, type GenerateResult } from '../engine/index.js';
import { historyDraft } from '../baseline/index.js';
import { regionEdits } from '../edits/index.js';
import { getPromptFormat } from '../prompt/registry.js';
import '../prompt/native.js';
import '../prompt/zeta1.js';
import type { BuiltPrompt, PromptBudget, PromptFormat } from '../prompt/types.js';
import type {
  CausalLM,
  EditPrediction,
  PredictionStats,
  PredictOptions,
  PredictRequest,
  Predictor,
  TextEdit,
  Tokenizer,
} from '../types.js';
import { applyEdits, isReversal } from './filters.js';

export interface ModelPredictorOptions {
  model: CausalLM;
  tokenizer: Tokenizer;
  /** Prompt format name or object; default `native`. */
  format?: string | PromptFormat;
  /** Small model with the same tokenizer, for `speculative+draft`. */
  draftModel?: CausalLM;
  /**
   * Use the draft model only where it is measured to save time (default true);
   * false: propose at every chance (benchmarks comparing the two).
   */
  adaptiveDraft?: boolean;
  mode?: DecodeMode;
  /** Cap on answer tokens; default: the unchanged answer's length plus 64. */
  maxTokens?: number;
  budget?: Partial<PromptBudget>;
  /** Reported in stats (`node`, `webgpu`, ...). */
  backend?: string;
  /** The model was trained with the format's aligned positions (config `nextedit.positions: "aligned"`). */
  alignedPositions?: boolean;
  /** The same for the draft model. */
  draftAlignedPositions?: boolean;
  /**
   * Hold back predictions whose `confidence` (lowest token probability of the
   * answer) is below this, partials included: a small model's unsure guesses
   * cost the user more attention than they save. Default 0 (show all).
   */
  minConfidence?: number;
}

/** A first edit more than this many lines from the cursor line is a jump. */
const JUMP_LINES = 2;

function lineNumber(text: string, pos: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Cursor after accepting: the end of the last edit, in the edited document. */
function cursorAfter(edits: TextEdit[]): number {
  let shift = 0;
  for (const e of edits.slice(0, -1)) shift += e.insert.length - (e.to - e.from);
  const last = edits[edits.length - 1];
  return last.from + shift + last.insert.length;
}

export class ModelPredictor implements Predictor {
  private readonly tokenizer: Tokenizer;
  private readonly format: PromptFormat;
  // One cache per model for the predictor's lifetime: that is the KV-cache reuse.
  private readonly cache: PrefixCache;
  private readonly draftCache?: PrefixCache;
  // Learns this device's pass times and the draft's acceptance across requests.
  private readonly draftPolicy?: DraftPolicy;
  private readonly mode: DecodeMode;
  private readonly opts: ModelPredictorOptions;
  /** Stats of the last finished request, a held-back one included (benchmarks, status bars). */
  lastStats?: PredictionStats;
  // The caches hold one sequence each, so requests run one after another.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(opts: ModelPredictorOptions) {
    this.opts = opts;
    this.tokenizer = opts.tokenizer;
    this.format = typeof opts.format === 'object' ? opts.format : getPromptFormat(opts.format ?? 'native');
    this.cache = new PrefixCache(opts.model, opts.alignedPositions);
    this.draftCache = opts.draftModel ? new PrefixCache(opts.draftModel, opts.draftAlignedPositions) : undefined;
    this.draftPolicy = opts.draftModel && opts.adaptiveDraft !== false ? new DraftPolicy() : undefined;
    this.mode = opts.mode ?? (opts.draftModel ? 'speculative+draft' : 'speculative');
  }

  predict(request: PredictRequest, options: PredictOptions = {}): Promise<EditPrediction | null> {
    const run = this.queue.then(() => this.run(request, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(request: PredictRequest, options: PredictOptions): Promise<EditPrediction | null> {
    const started = Date.now();
    if (options.signal?.aborted) throw abortError();
    const prompt = this.format.build(request, this.tokenizer, this.opts.budget);
    const minConfidence = this.opts.minConfidence ?? 0;
    const baseStats = { promptTokens: prompt.tokens.length, backend: this.opts.backend, mode: this.mode };
    const result = await generate(this.cache, prompt.tokens, {
      maxTokens: this.opts.maxTokens ?? prompt.draft.length + 64,
      stopTokens: prompt.stopTokenIds,
      positions: prompt.positions,
      mode: this.mode,
      draft: prompt.draft,
      extraDrafts: this.historyDrafts(request, prompt),
      draftModel: this.draftCache,
      draftPolicy: this.draftPolicy,
      stopBelowProbability: minConfidence,
      signal: options.signal,
      onChunk: options.onPartial
        ? (generated, confidence) => {
            if (confidence < minConfidence) return;
            const partial = this.partial(request, prompt, generated);
            if (partial) {
              options.onPartial!({
                ...partial,
                confidence,
                stats: { ...zeroStats(), ...baseStats, latencyMs: Date.now() - started, generatedTokens: generated.length },
              });
            }
          }
        : undefined,
    });
    const prediction = this.toPrediction(request, prompt, result, minConfidence);
    // One stats object, after parsing: held-back requests report theirs too.
    const stats: PredictionStats = { ...result.stats, ...baseStats, latencyMs: Date.now() - started };
    this.lastStats = stats;
    return prediction && { ...prediction, stats };
  }

  /** The decoded answer as edits, or null when it is unsure, no-edit, empty or undoes the user. */
  private toPrediction(
    request: PredictRequest,
    prompt: BuiltPrompt,
    result: GenerateResult,
    minConfidence: number,
  ): Omit<EditPrediction, 'stats'> | null {
    if (result.stop === 'unsure') return null;
    const stopText = result.stopToken !== undefined ? this.tokenizer.decode([result.stopToken]) : '';
    const output = this.tokenizer.decode(result.tokens) + stopText;
    const parsed = this.format.parse(output, prompt);
    if (parsed.kind === 'no-edit' || result.minProbability < minConfidence) return null;
    const edits = regionEdits(prompt.region.text, parsed.text, prompt.region.from);
    if (edits.length === 0 || isReversal(request, edits)) return null;
    return { ...this.placement(request, edits), confidence: result.minProbability, debug: { prompt: prompt.text, output } };
  }

  /**
   * The user's last edit repeated at its next occurrence, rendered as the
   * format's answer, so the engine can verify it like the region draft.
   */
  private historyDrafts(request: PredictRequest, prompt: BuiltPrompt): number[][] {
    const draft = historyDraft(request);
    if (!draft) return [];
    const answer = this.format.target(prompt, applyEdits(request.text, [draft.edit]));
    return answer === null ? [] : [this.tokenizer.encode(answer)];
  }

  /**
   * Streaming: the complete lines generated so far, compared with as many
   * lines of the old region. Only whole lines, so a half-typed word is never
   * shown; the final prediction replaces whatever partial was shown.
   */
  private partial(request: PredictRequest, prompt: BuiltPrompt, generated: number[]): Omit<EditPrediction, 'stats'> | undefined {
    const text = this.format.partial?.(this.tokenizer.decode(generated), prompt);
    if (text === undefined) return undefined;
    const done = text.slice(0, text.lastIndexOf('\n') + 1);
    if (!done) return undefined;
    const lineCount = done.split('\n').length - 1;
    const old = prompt.region.text.split(/(?<=\n)/).slice(0, lineCount).join('');
    const edits = regionEdits(old, done, prompt.region.from);
    if (edits.length === 0 || isReversal(request, edits)) return undefined;
    return this.placement(request, edits);
  }

  private placement(request: PredictRequest, edits: TextEdit[]): Omit<EditPrediction, 'stats'> {
    const far = Math.abs(lineNumber(request.text, edits[0].from) - lineNumber(request.text, request.cursor)) > JUMP_LINES;
    return { edits, cursor: cursorAfter(edits), ...(far ? { jump: { pos: edits[0].from } } : {}) };
  }

  /** The predictor owns the models it was given and disposes them. */
  async dispose(): Promise<void> {
    await this.opts.model.dispose?.();
    await this.opts.draftModel?.dispose?.();
  }
}

function zeroStats(): PredictionStats {
  return { latencyMs: 0, promptTokens: 0, cachedTokens: 0, forwardPasses: 0, generatedTokens: 0, draftProposed: 0, draftAccepted: 0 };
}

function abortError(): Error {
  const e = new Error('Aborted');
  e.name = 'AbortError';
  return e;
}
