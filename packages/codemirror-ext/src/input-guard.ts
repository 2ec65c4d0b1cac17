import { EditorView } from '@codemirror/view';
import { classify, currentSuggestion } from './state.js';

const GUARDED: Record<string, true> = { insertText: true, deleteContentBackward: true, deleteContentForward: true };

/**
 * Typing over (or deleting) a selection that spans lines while a diff block is shown is
 * applied here instead of by the browser: Chrome, deleting across the non-editable block
 * between two lines, also joins the line after the selection (a break the user never
 * touched is lost). CodeMirror's own repair only catches a widget in the selection's last line.
 */
export const crossLineInputGuard = EditorView.domEventHandlers({
  beforeinput(event, view) {
    if (!GUARDED[event.inputType] || view.composing) return false;
    const { state } = view;
    const s = currentSuggestion(state);
    if (!s || classify(state, s) !== 'diff') return false;
    if (!state.selection.ranges.some((r) => r.to > state.doc.lineAt(r.from).to)) return false;
    const text = event.inputType === 'insertText' ? (event.data ?? '') : '';
    const userEvent = text ? 'input.type' : event.inputType === 'deleteContentBackward' ? 'delete.backward' : 'delete.forward';
    event.preventDefault();
    const { from, to } = state.selection.main;
    const tr = () => state.update(state.replaceSelection(text), { userEvent, scrollIntoView: true });
    // Input handlers (closeBrackets and the like) see the typed text as they would from the DOM.
    if (text && state.facet(EditorView.inputHandler).some((h) => h(view, from, to, text, tr))) return true;
    view.dispatch(tr());
    return true;
  },
});
