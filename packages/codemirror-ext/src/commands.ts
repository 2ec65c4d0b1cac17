import { EditorSelection, Prec, type EditorState, type StateCommand, type TransactionSpec } from '@codemirror/state';
import { keymap, type Command, type KeyBinding } from '@codemirror/view';
import { nextEditConfig } from './config.js';
import { classify, clearSuggestion, currentSuggestion, markJumped } from './state.js';
import { requestNow } from './plugin.js';
import { listboxPopupOpen } from './popup.js';
import { visibleSuggestion } from './subtle.js';

function acceptTransaction(state: EditorState): TransactionSpec | null {
  const s = currentSuggestion(state);
  if (!s) return null;
  const changes = state.changes(s.edits);
  const last = s.edits[s.edits.length - 1]!;
  const end = changes.mapPos(last.to, 1);
  const requested = s.prediction.cursor;
  // The predictor's cursor is only meaningful while the edits are the ones it returned.
  const cursor = requested !== undefined && s.edits === s.prediction.edits ? Math.min(requested, changes.newLength) : end;
  return {
    changes, selection: EditorSelection.cursor(cursor), scrollIntoView: true,
    userEvent: 'input.complete', effects: clearSuggestion.of('accept'),
  };
}

/** Tab: jump to a far edit first, then accept; false (fall through) when nothing is shown. */
export const acceptNextEdit: StateCommand = ({ state, dispatch }) => {
  const s = currentSuggestion(state);
  if (!s) return false;
  const config = state.facet(nextEditConfig);
  const kind = classify(state, s);
  if (kind === 'file') {
    if (!config.onJumpToFile) return false;
    dispatch(state.update({ effects: clearSuggestion.of('accept') }));
    config.onJumpToFile(s.prediction.jump!.path!, s.prediction.jump!.pos);
    return true;
  }
  if (kind === 'jump') {
    dispatch(state.update({ selection: EditorSelection.cursor(s.edits[0]!.from), scrollIntoView: true, effects: markJumped.of(null) }));
    return true;
  }
  const spec = acceptTransaction(state);
  if (!spec) return false;
  dispatch(state.update(spec));
  config.onAccept?.(s.prediction);
  return true;
};

/** Escape: reject the shown suggestion (remembered, never re-offered). */
export const dismissNextEdit: StateCommand = ({ state, dispatch }) => {
  const s = currentSuggestion(state);
  if (!s) return false;
  dispatch(state.update({ effects: clearSuggestion.of('reject') }));
  state.facet(nextEditConfig).onReject?.(s.prediction);
  return true;
};

const WORD = /^(\s*[\p{L}\p{N}_$]+|\s*[^\p{L}\p{N}_$\s]+|\s+)/u;
/** Up to and including the next line break (all of it when there is none). */
const LINE = /^[^\n]*\n?/;

/** Accept the start of ghost text that `piece` picks; the rest stays shown (typing-through). */
function acceptGhostPiece(piece: RegExp): StateCommand {
  return ({ state, dispatch }) => {
    const s = currentSuggestion(state);
    if (!s || classify(state, s) !== 'ghost') return false;
    const edit = s.edits[0]!;
    const part = piece.exec(edit.insert)?.[0] || edit.insert;
    const full = part.length === edit.insert.length;
    dispatch(state.update({
      changes: { from: edit.from, insert: part }, selection: EditorSelection.cursor(edit.from + part.length),
      userEvent: 'input.complete', ...(full ? { effects: clearSuggestion.of('accept') } : {}),
    }));
    if (full) state.facet(nextEditConfig).onAccept?.(s.prediction);
    return true;
  };
}

/** Accept the next word of ghost text; the rest stays shown (typing-through). */
export const acceptNextEditWord: StateCommand = acceptGhostPiece(WORD);

/** Accept ghost text up to and including its next line break; the rest stays shown. */
export const acceptNextEditLine: StateCommand = acceptGhostPiece(LINE);

/** Ask for a prediction now, skipping the throttle (it needs the view: the request runs in its plugin). */
export const requestNextEdit: Command = (view) => requestNow(view);

/** Keys act only on a suggestion the user sees (subtle mode hides it until Alt is held). */
function ifVisible(command: StateCommand): StateCommand {
  return (target) => visibleSuggestion(target.state) !== null && command(target);
}

/** Keys leave Tab and Escape to an open popup (autocomplete's): its choice comes first. */
function unlessPopup(command: StateCommand): StateCommand {
  return ifVisible((target) => {
    const open = target.state.facet(nextEditConfig).popupOpen ?? listboxPopupOpen;
    return !open(target.state) && command(target);
  });
}

export const nextEditKeymap: readonly KeyBinding[] = [
  { key: 'Tab', run: unlessPopup(acceptNextEdit) },
  { key: 'Escape', run: unlessPopup(dismissNextEdit) },
  // Subtle mode: Tab pressed while holding Alt (where the desktop lets it through, e.g. macOS).
  { key: 'Alt-Tab', run: unlessPopup(acceptNextEdit) },
  { key: 'Mod-ArrowRight', run: ifVisible(acceptNextEditWord) },
  // Unbound in defaultKeymap on every platform (Mod-Alt-ArrowUp/Down add cursors, Alt-ArrowRight
  // moves by syntax, Mod-ArrowRight by word); only taken while ghost text is shown.
  { key: 'Mod-Alt-ArrowRight', run: ifVisible(acceptNextEditLine) },
  { key: 'Alt-\\', run: requestNextEdit },
];

/**
 * `nextEditKeymap` at highest precedence while the config's `defaultKeymap` is on, and its
 * `acceptKey` (which accepts whatever is open), both read from the facet, live.
 */
export const nextEditKeymapExtension = Prec.highest(
  keymap.computeN([nextEditConfig], (state) => {
    const { defaultKeymap, acceptKey } = state.facet(nextEditConfig);
    return [defaultKeymap ? nextEditKeymap : [], acceptKey ? [{ key: acceptKey, run: ifVisible(acceptNextEdit) }] : []];
  }),
);
