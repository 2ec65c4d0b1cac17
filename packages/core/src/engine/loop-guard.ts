// A small model that loses its place in a block writes the same few tokens
// over and over until the answer cap: hundreds of width-1 passes for an answer
// that never parses. Such a loop is cheap to see, and ends decoding early.

/** Tokens of the output's tail that must repeat before decoding counts as stuck. */
export const LOOP_WINDOW = 48;
/** Longest repeating unit looked for, in tokens. */
export const LOOP_MAX_PERIOD = 16;

/** Whether `tokens[from, from + seq.length)` is `seq`. */
function occursAt(tokens: readonly number[], from: number, seq: readonly number[]): boolean {
  for (let k = 0; k < seq.length; k++) if (tokens[from + k] !== seq[k]) return false;
  return true;
}

/**
 * Whether the first `n` output tokens end in a loop: their last LOOP_WINDOW
 * tokens repeat with a period of at most LOOP_MAX_PERIOD, and that stretch is
 * no copy of a draft (repetitive code the model rewrites, such as a run of
 * like lines in the region, is not a loop).
 */
export function endsInLoop(out: readonly number[], n: number, drafts: readonly (readonly number[])[]): boolean {
  if (n < LOOP_WINDOW) return false;
  const start = n - LOOP_WINDOW;
  let periodic = false;
  for (let p = 1; p <= LOOP_MAX_PERIOD && !periodic; p++) {
    let i = start + p;
    while (i < n && out[i] === out[i - p]) i++;
    periodic = i === n;
  }
  if (!periodic) return false;
  const tail = out.slice(start, n);
  return !drafts.some((d) => {
    for (let j = 0; j + tail.length <= d.length; j++) if (occursAt(d, j, tail)) return true;
    return false;
  });
}

/** The shortest length in (from, out.length] at which the output ends in a loop, or -1. */
export function loopCut(out: readonly number[], from: number, drafts: readonly (readonly number[])[]): number {
  for (let n = Math.max(from + 1, LOOP_WINDOW); n <= out.length; n++) if (endsInLoop(out, n, drafts)) return n;
  return -1;
}
