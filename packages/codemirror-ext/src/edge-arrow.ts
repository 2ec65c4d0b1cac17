import { ViewPlugin, type EditorView, type ViewUpdate } from '@codemirror/view';
import { classify } from './state.js';
import { visibleSuggestion } from './subtle.js';

/** An arrow pinned to the top or bottom edge while a jump target is scrolled out of view. */
export const edgeArrow = ViewPlugin.fromClass(class {
  dom: HTMLElement;
  constructor(readonly view: EditorView) {
    this.dom = view.dom.appendChild(document.createElement('div'));
    this.dom.className = 'cm-nextedit-jump cm-nextedit-edge';
    this.sync();
  }
  update(u: ViewUpdate) {
    if (u.docChanged || u.selectionSet || u.viewportChanged || u.geometryChanged || u.transactions.some((t) => t.effects.length)) this.sync();
  }
  sync() {
    const { state } = this.view;
    const s = visibleSuggestion(state);
    const target = s && classify(state, s) === 'jump' ? s.edits[0]!.from : undefined;
    const { from, to } = this.view.viewport;
    const rect = target === undefined ? null : this.view.lineBlockAt(target);
    const scroller = this.view.scrollDOM;
    const above = rect !== null && (target! < from || rect.bottom < scroller.scrollTop);
    const below = rect !== null && (target! > to || rect.top > scroller.scrollTop + scroller.clientHeight);
    this.dom.style.display = above || below ? '' : 'none';
    if (above || below) {
      this.dom.textContent = `${above ? '↑' : '↓'} line ${state.doc.lineAt(target!).number}`;
      this.dom.style.top = above ? '2px' : '';
      this.dom.style.bottom = below ? '2px' : '';
    }
  }
  destroy() { this.dom.remove(); }
});
