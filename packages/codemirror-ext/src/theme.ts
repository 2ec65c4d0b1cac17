import { EditorView } from '@codemirror/view';

export const nextEditTheme = EditorView.baseTheme({
  '.cm-nextedit-ghost': { opacity: '0.5', fontStyle: 'italic', whiteSpace: 'pre' },
  '.cm-nextedit-insert': { whiteSpace: 'pre', borderRadius: '2px' },
  '.cm-nextedit-delete': { textDecoration: 'line-through' },
  '.cm-nextedit-diff': { fontFamily: 'inherit', margin: '2px 0 2px 4px', padding: '2px 6px', borderLeft: '3px solid', whiteSpace: 'pre' },
  '.cm-nextedit-diff-line': { display: 'block' },
  '.cm-nextedit-diff-del': { textDecoration: 'line-through' },
  '.cm-nextedit-tag': { fontSize: '85%', padding: '0 4px', marginLeft: '6px', borderRadius: '3px', fontFamily: 'sans-serif' },
  '.cm-nextedit-edge': { position: 'absolute', right: '8px', zIndex: '10', fontSize: '85%', padding: '1px 6px', borderRadius: '3px', fontFamily: 'sans-serif', pointerEvents: 'none' },
  // Subtle mode's hint that a suggestion waits (hold Alt); outside the suggestion prefix, like the dot.
  '.cm-nexteditHint': { fontSize: '75%', padding: '0 4px', marginLeft: '8px', borderRadius: '3px', fontFamily: 'sans-serif', opacity: '0.6' },
  '&light .cm-nexteditHint': { border: '1px solid #0969da', color: '#0969da' },
  '&dark .cm-nexteditHint': { border: '1px solid #58a6ff', color: '#58a6ff' },
  // Not `cm-nextedit-*`: that prefix names suggestion decorations (which tests and hosts look for).
  '.cm-nexteditBusy': {
    position: 'absolute', top: '4px', right: '4px', width: '6px', height: '6px', borderRadius: '50%',
    zIndex: '9', pointerEvents: 'none', display: 'none', opacity: '0.8',
  },
  // Faded in only once a request has run a moment: the rules answer in a few ms.
  '.cm-nexteditBusy.cm-nexteditBusy-on': { display: 'block', animation: 'cm-nexteditBusy-in 0.2s' },
  '@keyframes cm-nexteditBusy-in': { '0%': { opacity: '0' }, '100%': { opacity: '0.8' } },
  '&light .cm-nexteditBusy': { backgroundColor: '#0969da' },
  '&dark .cm-nexteditBusy': { backgroundColor: '#58a6ff' },
  '&light .cm-nextedit-edge': { backgroundColor: '#0969da', color: '#fff' },
  '&dark .cm-nextedit-edge': { backgroundColor: '#1f6feb', color: '#fff' },
  '&light .cm-nextedit-ghost': { color: '#6a737d' },
  '&light .cm-nextedit-insert, &light .cm-nextedit-diff-add': { backgroundColor: '#d4f8d4', color: '#116329' },
  '&light .cm-nextedit-delete, &light .cm-nextedit-diff-del': { backgroundColor: '#ffd7d5', color: '#a40e26' },
  '&light .cm-nextedit-diff': { backgroundColor: '#f6f8fa', borderColor: '#2da44e' },
  '&light .cm-nextedit-tag': { backgroundColor: '#0969da', color: '#fff' },
  '&light .cm-nextedit-jump-line': { backgroundColor: '#ddf4ff' },
  '&dark .cm-nextedit-ghost': { color: '#8b949e' },
  '&dark .cm-nextedit-insert, &dark .cm-nextedit-diff-add': { backgroundColor: '#1f4d2b', color: '#7ee787' },
  '&dark .cm-nextedit-delete, &dark .cm-nextedit-diff-del': { backgroundColor: '#5c1d24', color: '#ffa198' },
  '&dark .cm-nextedit-diff': { backgroundColor: '#161b22', borderColor: '#3fb950' },
  '&dark .cm-nextedit-tag': { backgroundColor: '#1f6feb', color: '#fff' },
  '&dark .cm-nextedit-jump-line': { backgroundColor: '#0c2d6b' },
});
