import { type EditorState, type Range } from '@codemirror/state';
import { Decoration, EditorView, type DecorationSet } from '@codemirror/view';
import { nextEditConfig } from './config.js';
import { classify, suggestionField, type Suggestion } from './state.js';
import { HintWidget, hiddenSuggestion, revealedField, visibleSuggestion } from './subtle.js';
import { DiffWidget, TagWidget, TextWidget } from './widgets.js';

const deleteMark = Decoration.mark({ class: 'cm-nextedit-delete' });
const jumpLine = Decoration.line({ class: 'cm-nextedit-jump-line' });

function diffBlock(state: EditorState, s: Suggestion, out: Range<Decoration>[]) {
  const first = state.doc.lineAt(s.edits[0]!.from);
  const last = state.doc.lineAt(s.edits[s.edits.length - 1]!.to);
  const oldText = state.sliceDoc(first.from, last.to);
  // The new text of the same lines: apply the edits relative to the first line.
  let newText = '';
  let at = first.from;
  for (const e of s.edits) { newText += state.sliceDoc(at, e.from) + e.insert; at = e.to; }
  newText += state.sliceDoc(at, last.to);
  for (const e of s.edits) if (e.to > e.from) out.push(deleteMark.range(e.from, e.to));
  const widget = new DiffWidget(oldText.split('\n'), newText.split('\n'), state);
  out.push(Decoration.widget({ widget, block: true, side: 1 }).range(last.to));
}

export function buildDecorations(state: EditorState): DecorationSet {
  const s = visibleSuggestion(state);
  const head = state.selection.main.head;
  if (hiddenSuggestion(state)) return Decoration.set(Decoration.widget({ widget: new HintWidget(), side: 1 }).range(state.doc.lineAt(head).to));
  if (!s) return Decoration.none;
  const out: Range<Decoration>[] = [];
  switch (classify(state, s)) {
    case 'ghost':
      // side 1: the widget sits after the cursor, so IME composition is not disturbed.
      out.push(Decoration.widget({ widget: new TextWidget(s.edits[0]!.insert, 'cm-nextedit-ghost'), side: 1 }).range(head));
      break;
    case 'inline':
      for (const e of s.edits) {
        if (e.to > e.from) out.push(deleteMark.range(e.from, e.to));
        if (e.insert) out.push(Decoration.widget({ widget: new TextWidget(e.insert, 'cm-nextedit-insert'), side: 1 }).range(e.to));
      }
      break;
    case 'diff':
      diffBlock(state, s, out);
      break;
    case 'jump': {
      const target = state.doc.lineAt(s.edits[0]!.from);
      const arrow = s.edits[0]!.from < head ? '↑' : '↓';
      out.push(jumpLine.range(target.from));
      out.push(Decoration.widget({ widget: new TagWidget(`Tab → line ${target.number}`, arrow), side: 1 }).range(head));
      break;
    }
    case 'file':
      out.push(Decoration.widget({ widget: new TagWidget(`Tab → ${s.prediction.jump!.path!}`, '↗'), side: 1 }).range(head));
      break;
  }
  return Decoration.set(out, true);
}

export const nextEditDecorations = EditorView.decorations.compute([suggestionField, 'selection', revealedField, nextEditConfig], buildDecorations);
