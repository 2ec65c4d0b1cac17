// Whether a draft model's proposal is worth making. A proposal of k tokens
// costs k draft passes and saves the main passes its accepted tokens replace:
// it pays when k * draftMs < E[accepted] * mainMs. With a tiny student the
// per-pass overhead dominates, so the draft costs nearly as much as the main
// model and proposing loses time (measured: 1.7-2x slower in Node); with a big
// main model on a GPU it wins. So measure both online and decide per proposal.

export interface DraftPolicyOptions {
  /** Milliseconds clock; default `performance.now` where there is one (Node, browsers, workers), else `Date.now`. */
  now?: () => number;
  /**
   * While proposing does not pay, still propose once in this many chances, to
   * keep measuring; the interval doubles after each probe that confirms it
   * (up to 64x: a probe costs the draft's catch-up prefill). Default 20.
   */
  probeEvery?: number;
  /** Weight of the newest observation in the running averages (0-1). Default 0.2. */
  smoothing?: number;
}

/** Running mean that starts at its first observation. */
class Average {
  value: number | undefined;
  constructor(private readonly weight: number) {}
  add(x: number): void {
    this.value = this.value === undefined ? x : this.value + this.weight * (x - this.value);
  }
}

export class DraftPolicy {
  readonly now: () => number;
  private readonly probeEvery: number;
  private readonly mainMs: Average;
  private readonly draftMs: Average;
  // Accepted tokens and rejections per proposal: per-token acceptance is
  // accepted / (accepted + rejections) (proposals stop at the first rejection).
  private readonly accepted: Average;
  private readonly rejected: Average;
  private skipped = 0;
  private interval: number;

  constructor(opts: DraftPolicyOptions = {}) {
    const perf = (globalThis as { performance?: { now(): number } }).performance;
    this.now = opts.now ?? (perf ? () => perf.now() : Date.now);
    this.probeEvery = Math.max(1, opts.probeEvery ?? 20);
    this.interval = this.probeEvery;
    const w = Math.min(1, Math.max(0.01, opts.smoothing ?? 0.2));
    this.mainMs = new Average(w);
    this.draftMs = new Average(w);
    this.accepted = new Average(w);
    this.rejected = new Average(w);
  }

  /** The estimated per-token acceptance of the draft model's proposals (undefined before any). */
  get acceptance(): number | undefined {
    const a = this.accepted.value;
    const r = this.rejected.value;
    return a === undefined || r === undefined ? undefined : a + r === 0 ? 0 : a / (a + r);
  }

  /** True when a proposal of `k` tokens is expected to save more time than it costs. */
  pays(k: number): boolean {
    const main = this.mainMs.value;
    const draft = this.draftMs.value;
    const alpha = this.acceptance;
    if (main === undefined || draft === undefined || alpha === undefined) return true;
    // Expected accepted prefix of k proposals accepted independently with alpha.
    let expected = 0;
    for (let i = 1, p = alpha; i <= k; i++, p *= alpha) expected += p;
    return k * draft < expected * main;
  }

  /** Decide for this chance; counts skips so it re-measures now and then. */
  shouldPropose(k: number): boolean {
    if (this.pays(k)) {
      this.skipped = 0;
      this.interval = this.probeEvery;
      return true;
    }
    if (++this.skipped < this.interval) return false;
    this.skipped = 0;
    this.interval = Math.min(this.interval * 2, this.probeEvery * 64);
    return true;
  }

  recordMainPass(ms: number): void {
    this.mainMs.add(ms);
  }

  /** `ms` spent by the draft model making `passes` forward passes. */
  recordDraftPasses(ms: number, passes: number): void {
    if (passes > 0) this.draftMs.add(ms / passes);
  }

  /** A verified proposal: how many tokens it had and how many the main model accepted. */
  recordProposal(proposed: number, accepted: number): void {
    if (proposed === 0) return;
    this.accepted.add(accepted);
    this.rejected.add(accepted < proposed ? 1 : 0);
  }
}
