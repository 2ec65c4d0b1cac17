// The demo's "record my edits" switch: core's SettledCapture with the user's consent,
// and a button that downloads what it holds as JSONL (nothing leaves the page otherwise).
import { SettledCapture } from '@nextedit/core';

export function capturePanel(box: HTMLInputElement, button: HTMLButtonElement, settleMs: number): SettledCapture {
  const render = () => {
    const n = capture.cases().length;
    button.textContent = `download my data (${n} case${n === 1 ? '' : 's'})`;
    button.disabled = n === 0;
  };
  const capture = new SettledCapture({ settleMs, onCase: render });
  box.onchange = () => {
    capture.enabled = box.checked;
    if (!box.checked) capture.clear();
    render();
  };
  button.onclick = () => {
    const url = URL.createObjectURL(new Blob([capture.toJSONL()], { type: 'application/jsonl' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: 'nextedit-settled.jsonl' });
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  render();
  return capture;
}
