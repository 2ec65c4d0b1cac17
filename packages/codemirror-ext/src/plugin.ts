import { ChangeSet, type Text, type Transaction } from '@codemirror/state';
import { ViewPlugin, type EditorView, type ViewUpdate } from '@codemirror/view';
import { EditHistory, type EditPrediction, type PredictRequest, type TextEdit } from '@nextedit/core';
import { nextEditConfig, predictionAllowed, resolvePath, tooLarge, type EditHistoryLike } from './config.js';
import { answeredNull, clearSuggestion, markJumped, rebaseTyped, setStatus, showSuggestion } from './state.js';
import { recordLatency } from './stats.js';

/** Copilot NES's adaptive throttle: back off after a rejection, speed up after an accept, 50-3000 ms. */
export function adaptInterval(ms: number, outcome: 'accept' | 'reject'): number {
  return Math.min(3000, Math.max(50, ms * (outcome === 'reject' ? 1.5 : 0.8)));
}

const isAccept = (tr: Transaction) => tr.effects.some((e) => e.is(clearSuggestion) && e.value === 'accept');

interface InFlight { controller: AbortController; doc: Text; since: ChangeSet; started: number; busy?: ReturnType<typeof setTimeout> }

/**
 * A request still running after this long shows as busy (the status's inFlight, the dot).
 * Sooner, the flag would cost every request an editor update of its own, each writing the
 * DOM selection again; most answers come before it.
 */
export const BUSY_AFTER_MS = 150;

class NextEditPlugin {
  /** The config's `throttleMs`, read live: a new one restarts the adaptation from it. */
  base: number;
  interval: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  warmTimer: ReturnType<typeof setTimeout> | undefined;
  lastStart = -Infinity;
  inFlight: InFlight | undefined;
  unsubscribe: (() => void) | undefined;
  destroyed = false;
  /** The document is over maxDocLength (and the status says so). */
  oversize = false;
  history: EditHistoryLike;

  constructor(readonly view: EditorView) {
    const config = view.state.facet(nextEditConfig);
    this.history = config.history ?? new EditHistory();
    this.base = this.interval = config.throttleMs;
    const p = config.predictor;
    if (p.onStatus) {
      this.unsubscribe = p.onStatus((status) => {
        this.dispatchLater({ effects: setStatus.of({ status }) });
        // The model just became usable: the first keystroke need not start cold.
        if (status.state === 'ready') this.scheduleWarm(0);
      });
    }
    const initial = p.status?.();
    if (initial) this.dispatchLater({ effects: setStatus.of({ status: initial }) });
  }

  /** Dispatching inside an update is not allowed; status/results come asynchronously anyway. */
  dispatchLater(spec: Parameters<EditorView['dispatch']>[0]) {
    queueMicrotask(() => { if (!this.destroyed) this.view.dispatch(spec); });
  }

  update(u: ViewUpdate) {
    const config = u.state.facet(nextEditConfig);
    if (config.throttleMs !== this.base) this.base = this.interval = config.throttleMs;
    for (const tr of u.transactions) for (const eff of tr.effects) {
      if (eff.is(clearSuggestion) && eff.value !== 'clear') this.interval = adaptInterval(this.interval, eff.value);
    }
    // Per transaction: an accept's change is its own history event, the user's are coalesced.
    for (const tr of u.transactions) if (tr.docChanged) {
      const changes: TextEdit[] = [];
      tr.changes.iterChanges((fromA, toA, _fb, _tb, ins) => changes.push({ from: fromA, to: toA, insert: ins.toString() }));
      const h = this.history, options = { accepted: isAccept(tr) };
      // Core's history reads the Text's lines around the change: no whole-document string per keystroke.
      if (h instanceof EditHistory) h.record(resolvePath(config), tr.startState.doc, changes, options);
      else h.record(resolvePath(config), tr.startState.doc.toString(), changes, options);
    }
    if (u.docChanged && this.inFlight) this.inFlight.since = this.inFlight.since.compose(u.changes);
    if (!config.enabled) return this.cancel();
    if (u.docChanged) this.scheduleWarm(config.warmAfterMs);
    else if (u.focusChanged && u.view.hasFocus) this.scheduleWarm(0);
    // Tab's jump moves the cursor to the shown edit so the next Tab accepts it:
    // a new request there could replace that edit between the two presses.
    const jumped = u.transactions.some((tr) => tr.effects.some((e) => e.is(markJumped)));
    // After an accept the next edit is asked for at once, so chained Tabs keep pace with the user.
    if (u.transactions.some(isAccept)) this.schedule(true);
    else if (u.docChanged || (u.selectionSet && !jumped)) this.schedule();
  }

  /** Suggestions turned off: nothing waits or runs (history still records, for when they are back on). */
  cancel() {
    clearTimeout(this.timer);
    if (!this.inFlight) return;
    this.inFlight.controller.abort();
    clearTimeout(this.inFlight.busy);
    this.inFlight = undefined;
    this.dispatchLater({ effects: setStatus.of({ inFlight: false }) });
  }

  /** Warm the predictor after `ms` unless the user types (or a request starts) first; 0 in the config: never. */
  scheduleWarm(ms: number) {
    clearTimeout(this.warmTimer);
    if (!this.view.state.facet(nextEditConfig).warmAfterMs) return;
    this.warmTimer = setTimeout(() => this.warm(), ms);
  }

  /** Best effort: only in the focused editor (one cache serves every editor), never over a request in flight. */
  warm() {
    const { state } = this.view;
    const config = state.facet(nextEditConfig);
    const warm = config.predictor.warm;
    if (this.destroyed || !warm || !config.enabled || !this.view.hasFocus || !predictionAllowed(state, config)) return;
    if (this.inFlight) return this.scheduleWarm(config.warmAfterMs);
    warm.call(config.predictor, this.currentRequest()).catch(() => undefined);
  }

  /** What a request sends now: the document, the cursor, the history with the event being typed last. */
  currentRequest(): PredictRequest {
    const { state } = this.view;
    const config = state.facet(nextEditConfig);
    // settled() first: it settles an event paused past the coalescing time, which pending() then no longer returns.
    const settled = this.history.settled();
    const pending = this.history.pending?.();
    return {
      path: resolvePath(config), text: state.doc.toString(), cursor: state.selection.main.head,
      events: pending ? [...settled, pending] : settled,
      ...(config.language ? { language: config.language } : {}),
      ...(config.relatedFiles ? { relatedFiles: config.relatedFiles() } : {}),
    };
  }

  schedule(now = false) {
    clearTimeout(this.timer);
    const wait = now ? 0 : Math.max(0, this.lastStart + this.interval - Date.now());
    this.timer = setTimeout(() => this.request(), wait);
  }

  request() {
    const { state } = this.view;
    const config = state.facet(nextEditConfig);
    // Over maxDocLength: the status says so (once), and clears it when the document is back under.
    const large = tooLarge(state, config);
    if (!!large !== this.oversize) {
      this.oversize = !!large;
      this.dispatchLater({ effects: setStatus.of({ error: large ?? '' }) });
    }
    // Off, read-only, or a place disableWhen excludes: nothing waits or runs.
    if (!config.enabled || !predictionAllowed(state, config)) { this.cancel(); return false; }
    clearTimeout(this.timer);
    this.inFlight?.controller.abort();
    clearTimeout(this.inFlight?.busy);
    this.inFlight = undefined;
    const request = this.currentRequest();
    const flight: InFlight = { controller: new AbortController(), doc: state.doc, since: ChangeSet.empty(state.doc.length), started: Date.now() };
    this.inFlight = flight;
    this.lastStart = flight.started;
    // What may be suggested is the predictor's policy (core's isSuggestable); this only rebases.
    // An answer for an older text is shown only if the user has just typed some of it since;
    // otherwise the change since has already scheduled a request for the text as it is.
    const rebased = (p: EditPrediction): EditPrediction | undefined => {
      const edits = rebaseTyped(p.edits, flight.since);
      if (!edits || !edits.length) return undefined;
      return edits === p.edits || flight.since.empty ? p : { ...p, edits };
    };
    const live = () => !this.destroyed && !flight.controller.signal.aborted;
    flight.busy = setTimeout(() => { if (live()) this.view.dispatch({ effects: setStatus.of({ inFlight: true }) }); }, BUSY_AFTER_MS);
    const onPartial = (p: EditPrediction) => {
      const prediction = live() ? rebased(p) : undefined;
      if (prediction) this.view.dispatch({ effects: showSuggestion.of({ prediction, partial: true }) });
    };
    config.predictor.predict(request, { signal: flight.controller.signal, onPartial }).then(
      (p) => {
        if (!live()) return;
        this.inFlight = undefined;
        clearTimeout(flight.busy);
        const stats = p ? { ...p.stats, latencyMs: p.stats.latencyMs || Date.now() - flight.started } : undefined;
        const shown = p && p.edits.length ? rebased(p) : undefined;
        // One transaction for the whole answer: each costs the editor an update.
        this.view.dispatch({
          effects: [
            setStatus.of({ inFlight: false, error: '' }),
            ...(stats ? [recordLatency.of(stats)] : []),
            ...(shown ? [showSuggestion.of({ prediction: shown, partial: false })] : p && p.edits.length ? [] : [answeredNull.of(null)]),
          ],
        });
        if (shown) config.onShow?.(shown);
      },
      (err: unknown) => {
        if (!live()) return;
        this.inFlight = undefined;
        clearTimeout(flight.busy);
        // A failing predictor must never break editing: note it and carry on.
        this.view.dispatch({ effects: setStatus.of({ inFlight: false, error: err instanceof Error ? err.message : String(err) }) });
      },
    );
    return true;
  }

  destroy() {
    this.destroyed = true;
    clearTimeout(this.timer);
    clearTimeout(this.warmTimer);
    clearTimeout(this.inFlight?.busy);
    this.inFlight?.controller.abort();
    this.unsubscribe?.();
  }
}

export const nextEditPlugin = ViewPlugin.fromClass(NextEditPlugin);

/** Request immediately (the `requestNextEdit` command). */
export function requestNow(view: EditorView): boolean {
  const plugin = view.plugin(nextEditPlugin);
  return plugin ? plugin.request() : false;
}
