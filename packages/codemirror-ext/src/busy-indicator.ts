import { ViewPlugin, type EditorView, type ViewUpdate } from '@codemirror/view';
import { statusField } from './state.js';

/** A small dot in the editor's corner while a request runs (`nextEditStatus(state).inFlight`). */
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
    // The theme fades it in after a moment, so fast answers do not blink it.
    this.dom.classList.toggle('cm-nexteditBusy-on', this.view.state.field(statusField, false)?.inFlight ?? false);
  }
  destroy() { this.dom.remove(); }
});
