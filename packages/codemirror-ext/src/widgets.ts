import type { EditorState } from '@codemirror/state';
import { WidgetType } from '@codemirror/view';
import { highlightTree } from '@lezer/highlight';
import { highlightingFor, language } from '@codemirror/language';

function span(cls: string, text: string): HTMLElement {
  const el = document.createElement('span');
  el.className = cls;
  el.textContent = text;
  return el;
}

/** Text shown in place but not in the document: ghost text or an inline insertion. */
export class TextWidget extends WidgetType {
  constructor(readonly text: string, readonly cls: string) { super(); }
  override eq(other: TextWidget) { return other.text === this.text && other.cls === this.cls; }
  toDOM() { return span(this.cls, this.text); }
  override ignoreEvent() { return false; }
}

/** The inline "Tab → line N" / "Tab → file" tag at the cursor. */
export class TagWidget extends WidgetType {
  constructor(readonly label: string, readonly arrow: string) { super(); }
  override eq(other: TagWidget) { return other.label === this.label && other.arrow === this.arrow; }
  // The editor handles clicks on it (a cursor where clicked): left to the browser, the selection
  // lands inside the non-editable tag and what is typed next is lost.
  override ignoreEvent() { return false; }
  toDOM() {
    const el = span('cm-nextedit-jump cm-nextedit-tag', '');
    if (this.arrow) el.appendChild(span('cm-nextedit-arrow', this.arrow + ' '));
    el.appendChild(document.createTextNode(this.label));
    return el;
  }
}

/** Highlighted spans for `text` in the active language, or plain text. */
function highlighted(state: EditorState, text: string, parent: HTMLElement) {
  const lang = state.facet(language);
  if (!lang) { parent.textContent = text; return; }
  const tree = lang.parser.parse(text);
  let at = 0;
  highlightTree(tree, { style: (tags) => highlightingFor(state, tags) }, (from, to, cls) => {
    if (from > at) parent.appendChild(document.createTextNode(text.slice(at, from)));
    parent.appendChild(span(cls, text.slice(from, to)));
    at = to;
  });
  if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
}

/** A compact diff block under the lines: removed lines, then the new ones. */
export class DiffWidget extends WidgetType {
  constructor(readonly removed: string[], readonly added: string[], readonly state: EditorState) { super(); }
  override eq(other: DiffWidget) {
    return other.removed.join('\n') === this.removed.join('\n') && other.added.join('\n') === this.added.join('\n');
  }
  // As TagWidget: a click on the block puts the cursor in the text, so typing is not lost.
  override ignoreEvent() { return false; }
  toDOM() {
    const box = document.createElement('div');
    box.className = 'cm-nextedit-diff';
    for (const line of this.removed) box.appendChild(span('cm-nextedit-diff-line cm-nextedit-diff-del', line || ' '));
    const added = document.createElement('div');
    added.className = 'cm-nextedit-diff-line cm-nextedit-diff-add';
    highlighted(this.state, this.added.join('\n'), added);
    box.appendChild(added);
    return box;
  }
}
