// A core ModelPredictor over a loaded model (+ optional draft) and its
// tokenizer, in the prompt format the model's config names. Shared by the
// Node entry and the Web Worker entry.
import { ModelPredictor, type DecodeMode, type ModelPredictorOptions } from '@nextedit/core';
import { disposeIfModel, loadModel, type Dtype, type LoadedModel } from './load-model.js';
import type { DeviceChoice } from './device.js';
import type { WasmThreads } from './wasm-threads.js';
import { loadTokenizer } from './tokenizer.js';
import { allInOrder } from './all-in-order.js';
import type { LoadProgress } from '@nextedit/core';

/** Which model to run and how: one shape for the Web Worker (`ModelSource`), the Node predictor and this factory. */
export interface ModelOptions {
  /** Folder path, URL prefix or hub id (Hugging Face layout). */
  model: string;
  /** Draft model with the same tokenizer, for `speculative+draft`. */
  draft?: string;
  dtype?: Dtype;
  /** Browser runtime (default `auto`: WebGPU on a hardware adapter, else WASM); Node runs onnxruntime-node. */
  device?: DeviceChoice;
  /** Threads: 'auto' (default: 1) or a count (WASM: where the page is cross-origin isolated; Node: intra-op threads). */
  threads?: WasmThreads;
  /** Default: `speculative+draft` with a draft model, else `speculative`. */
  mode?: DecodeMode;
  /** Hold back predictions less sure than this (0-1); default: the model config's `nextedit.min_confidence`, else 0. */
  minConfidence?: number;
  /** Let the model verify edit candidates made without it; default: the config's `nextedit.verify_candidates`. */
  candidates?: boolean;
}

export interface CreatePredictorOptions extends ModelOptions {
  onProgress?(p: LoadProgress): void;
  /**
   * Return once the main model is ready and load the draft after it (`draftReady`), so the
   * first suggestions need not wait for it. Default false: both are loaded before returning.
   */
  draftLater?: boolean;
}

export interface LoadedPredictor {
  predictor: ModelPredictor;
  main: LoadedModel;
  /** The draft, once it is in use. */
  draft?: LoadedModel;
  /** Settles when the draft is in use (at once without `draftLater` or a draft); rejects when it cannot be, the predictor going on without it. */
  draftReady: Promise<void>;
  /** Frees the models (a draft still loading too). */
  dispose(): Promise<void>;
}

/** What a model's config.json fixes about how to prompt and decode it (also used by the bench). */
export function configuredOptions(
  main: LoadedModel,
  draft?: LoadedModel,
): Pick<ModelPredictorOptions, 'format' | 'backend' | 'budget' | 'minConfidence' | 'minVerified' | 'minLocation' | 'ownAnswers' | 'candidates' | 'alignedPositions' | 'draftAlignedPositions'> {
  return {
    format: main.nextedit.prompt.format,
    backend: main.backend,
    // A model is trained on prompts of one size and one position layout; its config says which.
    budget: main.nextedit.prompt.budget,
    alignedPositions: main.nextedit.prompt.positions === 'aligned',
    draftAlignedPositions: draft ? draft.nextedit.prompt.positions === 'aligned' : undefined,
    // Calibrated per model on held-out cases (see the model card).
    minConfidence: main.nextedit.minConfidence,
    minVerified: main.nextedit.minVerified,
    minLocation: main.nextedit.minLocation,
    ownAnswers: main.nextedit.ownAnswers,
    // Scoring candidates costs passes; only models calibrated for it opt in.
    candidates: main.nextedit.verifyCandidates,
  };
}

/**
 * A draft proposes tokens of the main model's prompt: it must read the same
 * format and vocabulary (a native@1 draft fed native@2's new marker ids would
 * index past its embedding table).
 */
export function checkDraftFits(main: LoadedModel, draft: LoadedModel, mainName: string, draftName: string): void {
  const vocab = (m: LoadedModel) => m.config.vocab_size;
  if (draft.promptFormat !== main.promptFormat || vocab(draft) !== vocab(main)) {
    throw new Error(
      `nextedit: draft ${draftName} reads ${draft.promptFormat} with ${String(vocab(draft))} tokens, ` +
        `but ${mainName} reads ${main.promptFormat} with ${String(vocab(main))}: a draft must share the model's prompt format and vocabulary`,
    );
  }
}

export async function createModelPredictor(opts: CreatePredictorOptions): Promise<LoadedPredictor> {
  const load = { dtype: opts.dtype, device: opts.device, threads: opts.threads, onProgress: opts.onProgress };
  const [main, tokenizer] = await allInOrder([loadModel(opts.model, load), loadTokenizer(opts.model)], disposeIfModel);
  const predictorFor = (draft?: LoadedModel) => {
    const configured = configuredOptions(main, draft);
    return new ModelPredictor({
      ...configured,
      model: main.lm,
      tokenizer,
      draftModel: draft?.lm,
      mode: opts.mode ?? (opts.draft ? 'speculative+draft' : 'speculative'),
      minConfidence: opts.minConfidence ?? configured.minConfidence,
      candidates: opts.candidates ?? configured.candidates,
    });
  };
  const loadDraft = async (): Promise<LoadedModel> => {
    const draft = await loadModel(opts.draft!, load);
    try {
      checkDraftFits(main, draft, opts.model, opts.draft!);
    } catch (e) {
      await draft.lm.dispose();
      throw e;
    }
    return draft;
  };

  if (!opts.draft || !opts.draftLater) {
    let draft: LoadedModel | undefined;
    try {
      draft = opts.draft ? await loadDraft() : undefined;
    } catch (e) {
      await main.lm.dispose();
      throw e;
    }
    const predictor = predictorFor(draft);
    return { predictor, main, draft, draftReady: Promise.resolve(), dispose: () => predictor.dispose() };
  }

  // The main model answers now; the draft joins when it has loaded (a request in flight finishes first).
  const predictor = predictorFor();
  let disposed = false;
  const loaded: LoadedPredictor = {
    predictor,
    main,
    draftReady: loadDraft().then(async (draft) => {
      if (disposed) return void (await draft.lm.dispose());
      loaded.draft = draft;
      await predictor.useDraft(draft.lm, draft.nextedit.prompt.positions === 'aligned');
    }),
    async dispose() {
      disposed = true;
      await predictor.dispose();
      await loaded.draftReady.catch(() => undefined);
    },
  };
  // A draft that fails is the caller's to report (through draftReady), never an unhandled rejection.
  loaded.draftReady.catch(() => undefined);
  return loaded;
}
