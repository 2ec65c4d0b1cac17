// Follows where the generated output is inside a draft token sequence (the
// region's own tokens, a history-derived proposal), re-aligning after the
// model diverges from it.

/** How many trailing generated tokens must match to re-align after a divergence. */
const ALIGN_TOKENS = 3;

export class DraftTracker {
  /** Index of the draft token expected next, or null while not aligned. */
  private ptr: number | null = 0;
  /** Drafts are consumed forward: re-alignment never searches before this. */
  private floor = 0;

  constructor(private readonly draft: readonly number[]) {}

  /** Update after `out` grew by its last `added` tokens. */
  advance(out: readonly number[], added: number): void {
    for (let k = out.length - added; k < out.length; k++) {
      const t = out[k]!;
      if (this.ptr !== null && this.draft[this.ptr] === t) this.ptr++;
      else this.ptr = this.realign(out.slice(0, k + 1));
      if (this.ptr !== null) this.floor = Math.max(this.floor, this.ptr);
    }
  }

  /** Up to `max` tokens the draft says come next. */
  propose(max: number): number[] {
    if (this.ptr === null || max <= 0) return [];
    return this.draft.slice(this.ptr, this.ptr + max);
  }

  private realign(out: readonly number[]): number | null {
    const n = Math.min(ALIGN_TOKENS, out.length);
    const key = out.slice(out.length - n);
    for (let j = this.floor; j + n <= this.draft.length; j++) {
      let k = 0;
      while (k < n && this.draft[j + k] === key[k]) k++;
      if (k === n) return j + n;
    }
    return null;
  }
}
