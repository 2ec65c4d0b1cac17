import { StateEffect, StateField, type EditorState } from '@codemirror/state';
import { ViewPlugin, WidgetType, type EditorView } from '@codemirror/view';
import { nextEditConfig } from './config.js';
import { currentSuggestion, type Suggestion } from './state.js';

/** Subtle mode (Zed's): a suggestion is kept but drawn only while Alt is held. */
export const setRevealed = StateEffect.define<boolean>();

export const revealedField = StateField.define<boolean>({
  create: () => false,
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setRevealed)) value = e.value;
    return value;
  },
});

/** The suggestion as the user sees it: in subtle mode only while revealed, else null. */
export function visibleSuggestion(state: EditorState): Suggestion | null {
  const s = currentSuggestion(state);
  if (!s || state.facet(nextEditConfig).mode !== 'subtle') return s;
  return state.field(revealedField, false) ? s : null;
}

/** A suggestion is waiting unseen (subtle mode, Alt not held): the hint says so. */
export function hiddenSuggestion(state: EditorState): boolean {
  return currentSuggestion(state) !== null && visibleSuggestion(state) === null;
}

function reveal(view: EditorView, on: boolean) {
  if (view.state.field(revealedField, false) === on) return;
  if (on && view.state.facet(nextEditConfig).mode !== 'subtle') return;
  view.dispatch({ effects: setRevealed.of(on) });
}

/** Tracks Alt: down reveals, up (or focus leaving, or a key without Alt) hides. */
export const altReveal = ViewPlugin.define(() => ({}), {
  eventHandlers: {
    keydown(e, view) { reveal(view, e.key === 'Alt' || (e.altKey && view.state.field(revealedField, false) === true)); },
    keyup(e, view) { if (e.key === 'Alt' || !e.altKey) reveal(view, false); },
    blur(_e, view) { reveal(view, false); },
  },
});

/** The small "Alt" tag at the end of the cursor's line while a suggestion waits unseen. */
export class HintWidget extends WidgetType {
  override eq() { return true; }
  toDOM() {
    const el = document.createElement('span');
    el.className = 'cm-nexteditHint';
    el.textContent = 'Alt';
    el.title = 'A next edit is ready: hold Alt to see it';
    el.setAttribute('aria-hidden', 'true');
    return el;
  }
}
