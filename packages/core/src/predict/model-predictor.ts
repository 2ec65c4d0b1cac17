// The in-process predictor: request -> prompt -> engine -> parsed edits.
import { abortError } from '../abort.js';
import { DraftPolicy, generate, PrefixCache, scoreCandidates, type DecodeMode, type GenerateResult } from '../engine/index.js';
import { editCandidates, historyDraft } from '../baseline/index.js';
import { placeEdits, regionEdits } from '../edits/index.js';
import { getPromptFormat } from '../prompt/registry.js';
import { MemoTokenizer } from '../prompt/memo-tokenizer.js';
import type { BuiltPrompt, PromptBudget, PromptFormat } from '../prompt/types.js';
import type {
  AbortSignalLike,
  CausalLM,
  EditPrediction,
  PredictionStats,
  PredictOptions,
  PredictRequest,
  Predictor,
  TextEdit,
  Tokenizer,
} from '../types.js';
import { applyEdits } from '../edits/index.js';
import { isSuggestable, ownAnswerAllowed, type OwnAnswers } from '../policy/index.js';

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
  /** Cap on answer tokens; default: the format's own cap, else the unchanged answer's length plus 64. */
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
  /**
   * Score edit candidates made without a model (the user's recent
   * substitutions repeated where they fit) and, when the model's own answer
   * is not sure enough, show one it verifies (minVerified, minLocation).
   * Default true.
   */
  candidates?: boolean;
  /**
   * Show a verified candidate only when the model prefers it to the same
   * block left unchanged at least this much: P(candidate) / (P(candidate) +
   * P(unchanged)). Default 0.5; calibrated per model (config `nextedit.min_verified`).
   */
  minVerified?: number;
  /**
   * ... and when the model's first answer token gives the candidate's place
   * at least this probability (block formats: where it thinks the edit is).
   * Default 0.05 (config `nextedit.min_location`).
   */
  minLocation?: number;
  /**
   * Which of the model's own answers may be shown: `any` (default) or only
   * `line-completion`s (the rest of the line being typed), for a model that is
   * measured to be right only there; calibrated per model (config `nextedit.own_answers`).
   * Its other answers are still weighed (lastAnswers), and its verified candidates, one
   * the same as a held-back answer included, may be shown instead. Partial lines stream
   * under the same rule, so a finished cursor line may show before an answer that goes
   * on to change more lines is held back (as with minConfidence).
   */
  ownAnswers?: OwnAnswers;
}

/** An answer the predictor weighed: the format's answer text and how likely the model finds it. */
export interface ScoredAnswer {
  output: string;
  logProbability: number;
  minProbability: number;
  firstProbability: number;
  /** Candidates: P(it) / (P(it) + P(the same span unchanged)), the model's preference for the change. */
  preference?: number;
  madeBy: 'model' | 'model-verified';
}

export class ModelPredictor implements Predictor {
  private readonly tokenizer: Tokenizer;
  readonly format: PromptFormat;
  // One cache per model for the predictor's lifetime: that is the KV-cache reuse.
  private readonly cache: PrefixCache;
  private draftModel?: CausalLM;
  private draftCache?: PrefixCache;
  // Learns this device's pass times and the draft's acceptance across requests.
  private draftPolicy?: DraftPolicy;
  private readonly mode: DecodeMode;
  private readonly opts: ModelPredictorOptions;
  private readonly ownAnswers: OwnAnswers;
  /** Stats of the last finished request, a held-back one included (benchmarks, status bars). */
  lastStats?: PredictionStats;
  /** The answers weighed for the last request (its own first, then no-edit and the candidates) and its prompt (calibration tools). */
  lastAnswers: ScoredAnswer[] = [];
  lastPrompt?: BuiltPrompt;
  /**
   * What the last request decoded: the next keystroke's answer is mostly the same (or the same
   * wrong one), so it drafts too. Speculative decoding keeps only what the model agrees with.
   */
  private lastOutput: number[] = [];
  // The caches hold one sequence each, so requests run one after another.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(opts: ModelPredictorOptions) {
    this.opts = opts;
    this.ownAnswers = opts.ownAnswers ?? 'any';
    this.tokenizer = new MemoTokenizer(opts.tokenizer);
    this.format = typeof opts.format === 'object' ? opts.format : getPromptFormat(opts.format ?? 'native');
    this.cache = new PrefixCache(opts.model, opts.alignedPositions);
    if (opts.draftModel) this.attach(opts.draftModel, opts.draftAlignedPositions);
    this.mode = opts.mode ?? (opts.draftModel ? 'speculative+draft' : 'speculative');
  }

  /**
   * Give the predictor its draft model once that has loaded (mode `speculative+draft`
   * decodes without one until then), so the main model can answer before the draft is in.
   */
  useDraft(draftModel: CausalLM, alignedPositions?: boolean): Promise<void> {
    // Between requests: a request in flight keeps the caches it started with.
    const attached = this.queue.then(() => this.attach(draftModel, alignedPositions));
    this.queue = attached.catch(() => undefined);
    return attached;
  }

  private attach(draftModel: CausalLM, alignedPositions?: boolean): void {
    if (this.draftModel) throw new Error('nextedit: this predictor already has a draft model');
    this.draftModel = draftModel;
    this.draftCache = new PrefixCache(draftModel, alignedPositions);
    this.draftPolicy = this.opts.adaptiveDraft !== false ? new DraftPolicy() : undefined;
  }

  predict(request: PredictRequest, options: PredictOptions = {}): Promise<EditPrediction | null> {
    const run = this.queue.then(() => this.run(request, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Prefill, while the user pauses, what the next keystroke's prompt will start
   * with (the format's settledPrefix: the request's events all settled; else the
   * request's whole prompt), in the main model's cache and the draft's. No
   * decoding and no answer; it waits its turn like a request.
   */
  warm(request: PredictRequest, options: { signal?: AbortSignalLike } = {}): Promise<WarmStats> {
    const run = this.queue.then(() => this.prefillPrefix(request, options.signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async prefillPrefix(request: PredictRequest, signal?: AbortSignalLike): Promise<WarmStats> {
    const started = Date.now();
    if (signal?.aborted) throw abortError();
    const prefix = this.format.settledPrefix?.(request, this.tokenizer, this.opts.budget) ?? this.format.build(request, this.tokenizer, this.opts.budget);
    const stats: WarmStats = { promptTokens: prefix.tokens.length, cachedTokens: 0, forwardPasses: 0, latencyMs: 0 };
    for (const cache of [this.cache, this.draftCache]) {
      if (!cache || !prefix.tokens.length) continue;
      const held = cache.heldOf(prefix.tokens, prefix.positions);
      if (cache === this.cache) stats.cachedTokens = held;
      if (held === prefix.tokens.length) continue; // already there: nothing to forward
      await cache.prefill(prefix.tokens, signal, prefix.positions);
      stats.forwardPasses++;
    }
    stats.latencyMs = Date.now() - started;
    return stats;
  }

  private async run(request: PredictRequest, options: PredictOptions): Promise<EditPrediction | null> {
    const started = Date.now();
    if (options.signal?.aborted) throw abortError();
    const prompt = this.format.build(request, this.tokenizer, this.opts.budget);
    const minConfidence = this.opts.minConfidence ?? 0;
    const baseStats = { promptTokens: prompt.tokens.length, backend: this.opts.backend, mode: this.mode };
    const result = await generate(this.cache, prompt.tokens, {
      maxTokens: this.opts.maxTokens ?? prompt.maxAnswerTokens ?? prompt.draft.length + 64,
      stopTokens: prompt.stopTokenIds,
      stopTexts: this.format.stopTexts?.length ? { texts: this.format.stopTexts, decode: (t) => this.tokenizer.decode(t) } : undefined,
      positions: prompt.positions,
      nextPosition: prompt.nextPosition,
      mode: this.mode,
      draft: prompt.draft,
      extraDrafts: [...this.historyDrafts(request, prompt), ...(this.lastOutput.length ? [this.lastOutput] : [])],
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
    this.lastOutput = result.tokens;
    const own = this.ownAnswer(result);
    const verified = this.opts.candidates === false ? undefined : await this.verifyCandidates(request, prompt, options);
    const answers = [...(own ? [own] : []), ...(verified?.answers ?? [])];
    this.lastAnswers = answers;
    this.lastPrompt = prompt;
    const showable = own && !this.ownAllowed(request, prompt, own) ? answers.filter((a) => a !== own) : answers;
    const pick = choose(showable, { minConfidence, minVerified: this.opts.minVerified ?? 0.5, minLocation: this.opts.minLocation ?? 0.05 });
    const prediction = pick ? this.toPrediction(request, prompt, pick) : null;
    // One stats object, after parsing: held-back requests report theirs too.
    const stats: PredictionStats = {
      ...result.stats,
      ...baseStats,
      forwardPasses: result.stats.forwardPasses + (verified?.forwardPasses ?? 0),
      latencyMs: Date.now() - started,
      ...(prediction ? { madeBy: pick!.madeBy } : {}),
    };
    this.lastStats = stats;
    return prediction && { ...prediction, stats };
  }

  /** The decoded answer (a stop text's pieces are in its tokens), unless decoding stopped unsure or at the length cap. */
  private ownAnswer(result: GenerateResult): ScoredAnswer | undefined {
    if (result.stop !== 'stop') return undefined;
    const stopText = result.stopToken !== undefined ? this.tokenizer.decode([result.stopToken]) : '';
    return {
      output: this.tokenizer.decode(result.tokens) + stopText,
      logProbability: result.logProbability,
      minProbability: result.minProbability,
      firstProbability: result.firstProbability,
      madeBy: 'model',
    };
  }

  /**
   * Scores no-edit and each candidate (one pass each over the cached prompt), one the same
   * as the model's own answer too: that one speaks when the own answer may not (below
   * minConfidence, or held back by ownAnswers), and calibration sees what the runtime does.
   */
  private async verifyCandidates(
    request: PredictRequest,
    prompt: BuiltPrompt,
    options: PredictOptions,
  ): Promise<{ answers: ScoredAnswer[]; forwardPasses: number } | undefined> {
    const texts = new Set<string>();
    for (const c of editCandidates(request)) {
      if (c.path) continue; // other files are not in the prompt: the model cannot judge them
      const answer = this.format.target(prompt, applyEdits(request.text, c.edits));
      if (answer !== null) texts.add(answer);
    }
    if (texts.size === 0) return undefined;
    const noEdit = this.format.target(prompt, request.text);
    const all = noEdit !== null && !texts.has(noEdit) ? [noEdit, ...texts] : [...texts];
    // Each candidate is also weighed against its span left unchanged.
    const unchanged = all.map((a) => this.format.unchanged?.(a, prompt));
    const extra = [...new Set(unchanged.filter((u): u is string => u !== undefined && !all.includes(u)))];
    const scored = [...all, ...extra];
    const { scores, forwardPasses } = await scoreCandidates(
      this.cache,
      prompt.tokens,
      scored.map((a) => this.tokenizer.encode(a)),
      { positions: prompt.positions, nextPosition: prompt.nextPosition, signal: options.signal },
    );
    const lp = new Map(scored.map((a, i) => [a, scores[i]!.logProbability]));
    const answers = all.map((output, i): ScoredAnswer => {
      const u = unchanged[i];
      const base = u !== undefined ? lp.get(u) : undefined;
      const preference = base === undefined ? undefined : 1 / (1 + Math.exp(base - scores[i]!.logProbability));
      return { output, ...scores[i]!, madeBy: 'model-verified', ...(preference !== undefined ? { preference } : {}) };
    });
    return { answers, forwardPasses };
  }

  /** An answer as edits of the document; null for no-edit (also for calibration tools, on lastAnswers and lastPrompt). */
  answerEdits(request: PredictRequest, prompt: BuiltPrompt, answer: ScoredAnswer): TextEdit[] | null {
    const parsed = this.format.parse(answer.output, prompt);
    if (parsed.kind === 'no-edit') return null;
    const span = parsed.span ?? prompt.region;
    return regionEdits(request.text.slice(span.from, span.to), parsed.text, span.from);
  }

  /** The model's own answer may be shown under `ownAnswers` (no-edit always may: it shows nothing). */
  private ownAllowed(request: PredictRequest, prompt: BuiltPrompt, own: ScoredAnswer): boolean {
    if (this.ownAnswers === 'any') return true;
    const edits = this.answerEdits(request, prompt, own);
    return edits === null || ownAnswerAllowed(this.ownAnswers, request, edits);
  }

  /** An answer as edits, or null when it is no-edit, empty or undoes the user. */
  private toPrediction(request: PredictRequest, prompt: BuiltPrompt, answer: ScoredAnswer): Omit<EditPrediction, 'stats'> | null {
    const edits = this.answerEdits(request, prompt, answer);
    if (edits === null || !isSuggestable(request, edits)) return null;
    return {
      ...this.placement(request, edits),
      confidence: answer.minProbability,
      debug: { prompt: prompt.text, output: answer.output },
    };
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
    const so = this.format.partial?.(this.tokenizer.decode(generated), prompt);
    if (so === undefined) return undefined;
    const done = so.text.slice(0, so.text.lastIndexOf('\n') + 1);
    if (!done) return undefined;
    const lineCount = done.split('\n').length - 1;
    const old = request.text.slice(so.from).split(/(?<=\n)/).slice(0, lineCount).join('');
    const edits = regionEdits(old, done, so.from);
    if (!isSuggestable(request, edits) || !ownAnswerAllowed(this.ownAnswers, request, edits)) return undefined;
    return this.placement(request, edits);
  }

  private placement(request: PredictRequest, edits: TextEdit[]): Omit<EditPrediction, 'stats'> {
    return placeEdits(request.text, request.cursor, edits);
  }

  /** The predictor owns the models it was given and disposes them. */
  async dispose(): Promise<void> {
    await this.opts.model.dispose?.();
    await this.draftModel?.dispose?.();
  }
}

/** What a warm-up cost: the prefix's tokens, those already cached, and the passes it took (main and draft). */
export interface WarmStats {
  promptTokens: number;
  cachedTokens: number;
  forwardPasses: number;
  latencyMs: number;
}

/**
 * What to show: the model's own answer when its lowest token probability
 * reaches `minConfidence`; else the verified candidate the model prefers most
 * to leaving its span unchanged, if by `minVerified`, at a place the model
 * believes in by `minLocation`; else nothing.
 */
export function choose(
  answers: ScoredAnswer[],
  floors: { minConfidence: number; minVerified: number; minLocation: number },
): ScoredAnswer | undefined {
  const own = answers.find((a) => a.madeBy === 'model');
  if (own && own.minProbability >= floors.minConfidence) return own;
  return answers
    .filter((a) => a.madeBy === 'model-verified' && a.preference !== undefined && a.firstProbability >= floors.minLocation)
    .sort((a, b) => b.preference! - a.preference!)
    .find((a) => a.preference! >= floors.minVerified);
}

function zeroStats(): PredictionStats {
  return { latencyMs: 0, promptTokens: 0, cachedTokens: 0, forwardPasses: 0, generatedTokens: 0, draftProposed: 0, draftAccepted: 0 };
}
