import { Facet, combineConfig, type EditorState } from '@codemirror/state';
import type { EditPrediction, Predictor, RelatedFile, TextEdit } from '@nextedit/core';

/** Where recorded edits go; core's `EditHistory` satisfies it. */
export interface EditHistoryLike {
  /** `accepted`: the change is an accepted suggestion, recorded as an event of its own. */
  record(path: string, before: string, changes: TextEdit[], options?: { accepted?: boolean }): void;
  settled(): string[];
  /** The event being typed now; sent last so predictors see the latest edit. */
  pending?(): string | undefined;
}

export interface NextEditConfig {
  predictor: Predictor;
  path?: string | (() => string);
  language?: string;
  /** Base throttle between requests, adapted by accepts/rejects; read live (a reconfigured value applies at once). */
  throttleMs?: number;
  relatedFiles?: () => RelatedFile[];
  /** Edit history the requests' `events` come from (default: a new core `EditHistory`). */
  history?: EditHistoryLike;
  onJumpToFile?(path: string, pos: number): void;
  onShow?(prediction: EditPrediction): void;
  onAccept?(prediction: EditPrediction): void;
  onReject?(prediction: EditPrediction): void;
  /** Install `nextEditKeymap` at highest precedence (default true); read live, like every field. */
  defaultKeymap?: boolean;
  /** Suggestions on (default true). Turned off, nothing is requested and what is shown goes at once. */
  enabled?: boolean;
  /**
   * Largest document, in characters, suggestions run on (default 10,000,000). Above it the
   * extension is off for that document (nothing is requested: each request still hands the
   * predictor the whole text) and the status's `lastError` says so; read live.
   */
  maxDocLength?: number;
  /**
   * True while a popup owns Tab and Escape, which then fall through to it (default
   * `listboxPopupOpen`: a completion listbox such as @codemirror/autocomplete's is open).
   */
  popupOpen?: (state: EditorState) => boolean;
  /**
   * 'eager' (default): suggestions are drawn as soon as they come. 'subtle' (Zed's subtle
   * mode): they are requested as usual but drawn only while Alt is held (a small `Alt` hint
   * shows meanwhile), and Tab/Escape act only on a drawn one. Read live.
   */
  mode?: 'eager' | 'subtle';
  /** No request while this is true for the cursor (e.g. inside comments or strings); read live. */
  disableWhen?: (state: EditorState, pos: number) => boolean;
  /**
   * After this long without typing, the predictor prepares for the next keystroke
   * (`Predictor.warm`: a model prefills its KV cache with what the next prompt starts
   * with); also when the editor gains focus and when the predictor becomes ready.
   * Default 1200 ms, just past EditHistory's 1 s coalescing, so the paused event has
   * settled; 0 turns warm-ups off. Read live.
   */
  warmAfterMs?: number;
  /** Another key that accepts (a CodeMirror key name, e.g. 'Alt-Enter'), also while a popup is open. */
  acceptKey?: string;
}

export type ResolvedConfig = Required<Pick<NextEditConfig, 'throttleMs' | 'defaultKeymap' | 'enabled' | 'warmAfterMs'>> & NextEditConfig;

export const nextEditConfig = Facet.define<NextEditConfig, ResolvedConfig>({
  combine(configs) {
    return combineConfig<ResolvedConfig>(configs as ResolvedConfig[], { throttleMs: 150, defaultKeymap: true, enabled: true, warmAfterMs: 1200 }, {
      // The first predictor wins; hooks and history cannot be merged meaningfully either.
      predictor: (a) => a,
      history: (a) => a,
      popupOpen: (a) => a,
      disableWhen: (a) => a,
    });
  },
});

export function resolvePath(config: NextEditConfig): string {
  const p = config.path;
  return typeof p === 'function' ? p() : (p ?? 'untitled');
}

/** Whether a request may run: never in a read-only editor, nor where `disableWhen` says no. */
export function predictionAllowed(state: EditorState, config: NextEditConfig): boolean {
  return !state.readOnly && !tooLarge(state, config) && !config.disableWhen?.(state, state.selection.main.head);
}

export const DEFAULT_MAX_DOC_LENGTH = 10_000_000;

/** Why suggestions are off for this document (over `maxDocLength`), or undefined. */
export function tooLarge(state: EditorState, config: NextEditConfig): string | undefined {
  const max = config.maxDocLength ?? DEFAULT_MAX_DOC_LENGTH;
  return state.doc.length > max ? `suggestions off: the document is over maxDocLength (${max} characters)` : undefined;
}
