// A keystroke's prompt is mostly the segments of the last one (each block, the
// settled history, the file header), and formats encode each segment on its
// own: remembering recent encodings takes the repeated tokenizer calls off the
// keystroke's path (native@3 on the sample cases: ~30 calls and ~5 ms a build
// before, ~3 ms after).
import type { Tokenizer } from '../types.js';

export class MemoTokenizer implements Tokenizer {
  private readonly memo = new Map<string, number[]>();

  /** `capacity`: texts remembered, the least recently used forgotten first. */
  constructor(
    readonly inner: Tokenizer,
    readonly capacity = 512,
  ) {
    if (!(capacity >= 1)) throw new RangeError(`MemoTokenizer: capacity must be at least 1, not ${capacity}`);
  }

  get vocabSize(): number {
    return this.inner.vocabSize;
  }

  /** A fresh array each time: callers may change what they are given. */
  encode(text: string): number[] {
    let ids = this.memo.get(text);
    if (ids) this.memo.delete(text);
    else ids = this.inner.encode(text);
    this.memo.set(text, ids);
    if (this.memo.size > this.capacity) this.memo.delete(this.memo.keys().next().value!);
    return ids.slice();
  }

  decode(ids: number[]): string {
    return this.inner.decode(ids);
  }

  tokenId(token: string): number | undefined {
    return this.inner.tokenId(token);
  }
}
