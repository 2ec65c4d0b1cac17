// File text must never form a marker: a file containing `<|block_3|>` or
// `<|region|>` would otherwise put a real special token into the prompt (a
// corrupt prompt, or an id a small model's vocabulary lacks). In the prompt,
// `<|` in user text becomes `<` ZWNJ `|`; answers are unescaped back, so edits
// still apply to the text as it is.
const ZWNJ = '\u200c';
const RAW = '<|';
const SAFE = '<' + ZWNJ + '|';

export function escapeMarkers(text: string): string {
  return text.includes(RAW) ? text.split(RAW).join(SAFE) : text;
}

export function unescapeMarkers(text: string): string {
  return text.includes(SAFE) ? text.split(SAFE).join(RAW) : text;
}
