// The editor basics. The `codemirror` package in node_modules is v5, so this
// assembles the v6 equivalent of `basicSetup` from the installed parts.
import type { Extension } from '@codemirror/state';
import {
  drawSelection, dropCursor, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars,
  keymap, lineNumbers, rectangularSelection,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, foldGutter, foldKeymap, indentOnInput } from '@codemirror/language';
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';

export const basicSetup: Extension = [
  lineNumbers(), highlightActiveLineGutter(), highlightSpecialChars(), history(), foldGutter(),
  drawSelection(), dropCursor(), indentOnInput(), bracketMatching(), closeBrackets(),
  rectangularSelection(), highlightActiveLine(),
  // nextedit's keymap runs at highest precedence, so Tab accepts a suggestion first.
  keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...foldKeymap, indentWithTab]),
];
