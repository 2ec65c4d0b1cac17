// The shared vocabulary of nextedit. Every offset is in UTF-16 code units
// (JavaScript string indices), the unit CodeMirror uses.

/**
 * The part of AbortSignal core uses; core is compiled without DOM types, and
 * both the DOM's and Node's AbortSignal satisfy it.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** One replacement in a document: `text.slice(from, to)` becomes `insert`. */
export interface TextEdit {
  from: number;
  to: number;
  insert: string;
}

/** A file the host considers relevant (open tab, import), offered as context. */
export interface RelatedFile {
  path: string;
  text: string;
}

export interface Diagnostic {
  from: number;
  to: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

/** Everything a predictor needs to guess the next edit. */
export interface PredictRequest {
  /** Path of the document, relative to the project root (e.g. `src/app.ts`). */
  path: string;
  /** The whole document as the editor holds it now. */
  text: string;
  /** Cursor offset into `text`. */
  cursor: number;
  /**
   * Settled edit events in this and other files, oldest first, each a unified
   * diff of one hunk (`--- a/p\n+++ b/p\n@@ ... @@\n...`), as rendered by
   * `EditHistory` and as stored in the eval cases.
   */
  events: string[];
  /** Language id (`typescript`, `javascript`, `python`, ...), when known. */
  language?: string;
  relatedFiles?: RelatedFile[];
  diagnostics?: Diagnostic[];
}

/** Where the user should go next when the edit is away from the cursor. */
export interface JumpTarget {
  /** Another file, when the edit is not in the requested document. */
  path?: string;
  /** Offset of the edit's start in that document. */
  pos: number;
}

export interface PredictionStats {
  /** Request to final edits, wall time. */
  latencyMs: number;
  /** Tokens in the prompt. */
  promptTokens: number;
  /** Prompt tokens served from the KV cache (not recomputed). */
  cachedTokens: number;
  /** Model forward passes (prefill counts as one). */
  forwardPasses: number;
  /** Tokens the model produced (the answer). */
  generatedTokens: number;
  /** Draft tokens proposed (region draft + draft model + history draft). */
  draftProposed: number;
  /** Draft tokens the model accepted. */
  draftAccepted: number;
  /** Which runtime ran it: `webgpu`, `wasm`, `node`, `rules`, ... */
  backend?: string;
  /** Decoding mode: `greedy`, `speculative`, `speculative+draft`. */
  mode?: string;
  /**
   * Who made the suggestion: the model's own answer, a candidate made without
   * a model that the model chose (`model-verified`), or the rule baseline.
   */
  madeBy?: 'model' | 'model-verified' | 'rules';
}

/** What a predictor returns: edits against `PredictRequest.text`, or against `jump.path`'s text when set. */
export interface EditPrediction {
  /** Sorted by `from`, non-overlapping, minimal (common prefix/suffix trimmed). */
  edits: TextEdit[];
  /** Where to put the cursor after accepting, in the document after the edits. */
  cursor?: number;
  /** Set when the first edit is away from the cursor (a jump). */
  jump?: JumpTarget;
  /**
   * How sure the model was, 0-1: the lowest probability it gave any token of
   * its answer. Absent for predictors without a model (rules).
   */
  confidence?: number;
  stats: PredictionStats;
  /** For people who want to see how it works: the prompt text and raw output. */
  debug?: { prompt?: string; output?: string };
}

export interface PredictOptions {
  signal?: AbortSignalLike;
  /** Called with a growing partial prediction per verified chunk (streaming). */
  onPartial?: (partial: EditPrediction) => void;
}

export interface LoadProgress {
  file: string;
  loaded: number;
  total: number;
}

/** What a host shows in its status bar. */
export interface PredictorStatus {
  state: 'idle' | 'loading' | 'ready' | 'error';
  backend?: string;
  /** Why that backend runs (e.g. `auto: no WebGPU adapter`), when the predictor chose it. */
  backendReason?: string;
  /** WASM threads, when the backend is WASM. */
  threads?: number;
  /** The draft model, when one was asked for: still loading after the main model, or in use. */
  draft?: 'loading' | 'ready';
  model?: string;
  progress?: LoadProgress;
  error?: string;
}

/**
 * Anything that predicts edits: the worker client, an in-process model
 * predictor, the rule-based baseline. The editor talks only to this.
 */
export interface Predictor {
  predict(request: PredictRequest, options?: PredictOptions): Promise<EditPrediction | null>;
  /**
   * Best effort, while the user pauses: make the next request after `request`
   * cheap (a model fills its KV cache with what that prompt will start with,
   * every event in `request` taken as settled). Resolves with nothing to show;
   * predictors with nothing to prepare leave it out.
   */
  warm?(request: PredictRequest, options?: { signal?: AbortSignalLike }): Promise<unknown>;
  /** Current status; optional for predictors that are always ready. */
  status?(): PredictorStatus;
  /** Subscribe to status changes; returns an unsubscribe function. */
  onStatus?(listener: (status: PredictorStatus) => void): () => void;
  dispose?(): void | Promise<void>;
}

/** The tokenizer a prompt format builds with (transformers.js's, or a test one). */
export interface Tokenizer {
  /** Encode text; special tokens written literally in `text` map to their ids. */
  encode(text: string): number[];
  decode(ids: number[]): string;
  /** Id of a special token (e.g. `<|cursor|>`), or undefined if the vocab lacks it. */
  tokenId(token: string): number | undefined;
  readonly vocabSize: number;
}

/** Logits for `rows` consecutive positions, row-major, `vocabSize` wide. */
export interface Logits {
  data: Float32Array;
  rows: number;
  vocabSize: number;
}

/**
 * A decoder with a KV cache. Backends (transformers.js, onnxruntime) implement
 * it; everything clever (cache reuse, speculation) lives in core on top of it.
 */
export interface CausalLM {
  /** Tokens currently held in the KV cache. */
  readonly length: number;
  /**
   * Append `tokens` after the cached ones; logits for each of them.
   * `positions`: their rotary positions (default: the cache length onwards);
   * models trained with aligned positions get the prompt format's.
   */
  forward(tokens: number[], signal?: AbortSignalLike, positions?: number[]): Promise<Logits>;
  /** Drop cache entries past `length` (roll back). */
  truncate(length: number): Promise<void> | void;
  dispose?(): Promise<void> | void;
}
