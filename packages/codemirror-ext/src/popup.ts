import type { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';

/**
 * True while a completion listbox is open, read from the editor's ARIA attributes:
 * @codemirror/autocomplete sets `aria-haspopup: listbox` on the content while its popup is
 * open (it is what `completionStatus(state) === 'active'` shows), and so do other popups that
 * follow ARIA. Read from the state, so the extension needs no import of autocomplete.
 */
export function listboxPopupOpen(state: EditorState): boolean {
  return state.facet(EditorView.contentAttributes).some((a) => typeof a === 'object' && a['aria-haspopup'] === 'listbox');
}
