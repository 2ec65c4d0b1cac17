import type { Tokenizer } from '../types.js';

/**
 * A deterministic test tokenizer: each special token (in the given order) gets
 * ids 0..n-1, every other UTF-16 code unit `c` gets id `n + c`. Decoding is the
 * exact inverse, so prompts round-trip and token counts equal string lengths.
 */
export class CharTokenizer implements Tokenizer {
  readonly vocabSize: number;
  private readonly specials: string[];
  private readonly ids = new Map<string, number>();

  constructor(specialTokens: readonly string[] = []) {
    // Longest first so a special token that prefixes another never shadows it.
    this.specials = [...specialTokens].sort((a, b) => b.length - a.length);
    specialTokens.forEach((t, i) => this.ids.set(t, i));
    this.vocabSize = specialTokens.length + 0x10000;
  }

  encode(text: string): number[] {
    const out: number[] = [];
    const base = this.ids.size;
    let i = 0;
    outer: while (i < text.length) {
      if (text.charCodeAt(i) === 0x3c /* '<' */) {
        for (const s of this.specials) {
          if (text.startsWith(s, i)) {
            out.push(this.ids.get(s)!);
            i += s.length;
            continue outer;
          }
        }
      }
      out.push(base + text.charCodeAt(i));
      i++;
    }
    return out;
  }

  decode(ids: number[]): string {
    const names = [...this.ids.keys()];
    const base = names.length;
    let s = '';
    for (const id of ids) s += id < base ? names[id] : String.fromCharCode(id - base);
    return s;
  }

  tokenId(token: string): number | undefined {
    return this.ids.get(token);
  }
}
