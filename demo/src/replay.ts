import type { EditorView } from '@codemirror/view';
import type { Replay } from './replays/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Type a recorded sequence into `view` one keystroke at a time. */
export async function playReplay(view: EditorView, replay: Replay, keyMs = 120): Promise<void> {
  for (const step of replay.steps) {
    const at = view.state.doc.toString().indexOf(step.find);
    if (at < 0) continue;
    view.dispatch({ selection: { anchor: at, head: at + (step.select ?? 0) }, scrollIntoView: true });
    for (const ch of step.type) {
      const { from, to } = view.state.selection.main;
      view.dispatch({ changes: { from, to, insert: ch }, selection: { anchor: from + ch.length }, userEvent: 'input.type' });
      await sleep(keyMs);
    }
  }
}
