import { ViewPlugin, type EditorView, type ViewUpdate } from '@codemirror/view';
import { statusField } from './state.js';

/** A small dot in the editor's corner while a request runs past BUSY_AFTER_MS (`nextEditStatus(state).inFlight`). */
export const busyIndicator = ViewPlugin.fromClass(class {
  dom: HTMLElement;
  constructor(readonly view: EditorView) {
    this.dom = view.dom.appendChild(document.createElement('div'));
    this.dom.className = 'cm-nexteditBusy';
    this.dom.title = 'Looking for the next edit…';
    this.dom.setAttribute('aria-hidden', 'true');
    this.sync();
  }
  update(u: ViewUpdate) {
    if (u.startState.field(statusField, false) !== u.state.field(statusField, false)) this.sync();
  }
  sync() {
    // Fast answers never set inFlight, so they do not blink it; the theme fades it in.
    this.dom.classList.toggle('cm-nexteditBusy-on', this.view.state.field(statusField, false)?.inFlight ?? false);
  }
  destroy() { this.dom.remove(); }
});
