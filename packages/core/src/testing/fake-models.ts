// Deterministic fake CausalLMs for tests. Each keeps a real token context (its
// "KV cache") and computes every position's logits from the full context up
// to it, so a caller that forgets to roll back gets different outputs.
import { abortError } from '../abort.js';
import type { AbortSignalLike, CausalLM, Logits } from '../types.js';

/** A pure next-token rule over the whole context. */
export type NextTokenRule = (context: readonly number[]) => number;

export class FakeLM implements CausalLM {
  private context: number[] = [];
  private contextPositions: number[] = [];
  /** forward() calls so far. */
  forwards = 0;
  /** Tokens fed so far (over all calls). */
  fedTokens = 0;

  constructor(
    readonly vocabSize: number,
    readonly next: NextTokenRule,
  ) {}

  get length(): number {
    return this.context.length;
  }

  /** What the cache holds, for assertions. */
  get held(): readonly number[] {
    return this.context;
  }

  /** The rotary position each held token was fed at (the next-token rule ignores them). */
  get heldPositions(): readonly number[] {
    return this.contextPositions;
  }

  async forward(tokens: number[], signal?: AbortSignalLike, positions?: number[]): Promise<Logits> {
    if (signal?.aborted) throw abortError('aborted');
    if (tokens.length === 0) throw new Error('FakeLM.forward: no tokens');
    this.forwards++;
    this.fedTokens += tokens.length;
    const data = new Float32Array(tokens.length * this.vocabSize);
    for (const [i, t] of tokens.entries()) {
      if (!Number.isInteger(t) || t < 0 || t >= this.vocabSize) throw new RangeError(`FakeLM: token ${t} outside vocab`);
      this.contextPositions.push(positions ? positions[i]! : this.context.length);
      this.context.push(t);
      const winner = this.next(this.context);
      // Deterministic non-flat runners-up, so argmax must really pick the max.
      for (let v = 0; v < this.vocabSize; v++) data[i * this.vocabSize + v] = ((v * 7 + this.context.length) % 13) / 13;
      data[i * this.vocabSize + winner] = 2;
    }
    return { data, rows: tokens.length, vocabSize: this.vocabSize };
  }

  truncate(length: number): void {
    if (!Number.isInteger(length) || length < 0 || length > this.context.length) {
      throw new RangeError(`FakeLM.truncate(${length}): the cache holds only ${this.context.length} positions`);
    }
    this.context.length = length;
    this.contextPositions.length = length;
  }
}

function hash(context: readonly number[], from = 0): number {
  let h = 2166136261;
  for (let i = from; i < context.length; i++) h = Math.imul(h ^ (context[i]! + 1), 16777619);
  return h >>> 0;
}

/** Next token = a hash of the entire context: depends on every prompt token. */
export function hashRule(vocabSize: number): NextTokenRule {
  return (context) => hash(context) % vocabSize;
}

/**
 * An "induction head": continue the way the current token continued last time
 * it occurred (so it often copies text from the prompt), except at positions
 * the full-context hash picks, where it emits a hash token (an edit).
 */
export function inductionRule(vocabSize: number, editEvery = 7): NextTokenRule {
  return (context) => {
    const h = hash(context);
    const last = context.length - 1;
    if (h % editEvery !== 0) {
      for (let j = last - 1; j >= 0; j--) if (context[j] === context[last]) return context[j + 1]!;
    }
    return (h >>> 8) % vocabSize;
  };
}

/**
 * Copies `target` after the last `marker` token, then emits `end`: the model
 * "answers" with a given text (e.g. the region with a few edits).
 */
export function copyRule(target: readonly number[], marker: number, end: number): NextTokenRule {
  return (context) => {
    const at = context.lastIndexOf(marker);
    if (at < 0) return end;
    const written = context.length - 1 - at;
    return written < target.length ? target[written]! : end;
  };
}

/** Greedy decoding straight from a rule, no cache: the reference for tests. */
export function referenceGreedy(
  rule: NextTokenRule,
  prompt: number[],
  maxTokens: number,
  stopTokens: number[],
): { tokens: number[]; stop: 'stop' | 'max'; stopToken?: number } {
  const context = [...prompt];
  const tokens: number[] = [];
  while (tokens.length < maxTokens) {
    const t = rule(context);
    if (stopTokens.includes(t)) return { tokens, stop: 'stop', stopToken: t };
    tokens.push(t);
    context.push(t);
  }
  return { tokens, stop: 'max' };
}
