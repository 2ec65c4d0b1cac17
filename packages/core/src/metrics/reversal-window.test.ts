// issue 18 item 1: keptRate and reversalRatio diff only what the three texts do not share.
import { describe, expect, it } from 'vitest';
import { charDistance } from './char-distance.js';
import { keptRate, reversalRatio, trimShared } from './reversal.js';

/** The formulas over the whole texts, as before. */
function keptWhole(o: string, p: string, f: string) {
  const changed = charDistance(o, p);
  if (changed === 0) return 1;
  return Math.min(1, Math.max(0, (changed + charDistance(o, f) - charDistance(p, f)) / 2 / changed));
}
function reversalWhole(l: string, c: string, p: string) {
  const changed = charDistance(c, p);
  if (changed === 0) return 0;
  return Math.min(1, Math.max(0, (changed + charDistance(c, l) - charDistance(p, l)) / 2 / changed));
}

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('trimmed kept/reversal metrics', () => {
  // With astral characters jsdiff counts code points as tokens, so its diffs are minimal in tokens,
  // not in UTF-16 units, and the two can differ; without them they are the same numbers.
  it.each([[['a', 'b', '\n', 'x', ' '], true], [['a', 'b', '\n', '😀', 'x', ' '], false]] as const)('equal the whole-text formulas on random edits (%j)', (alphabet, exact) => {
    const r = rng(3);
    // On code points, so the inputs hold no lone surrogate.
    const edit = (s: string) => {
      const cps = Array.from(s);
      const at = Math.floor(r() * (cps.length + 1));
      const ins = Array.from({ length: Math.floor(r() * 3) }, () => alphabet[Math.floor(r() * alphabet.length)]!);
      cps.splice(at, Math.floor(r() * 3), ...ins);
      return cps.join('');
    };
    for (let i = 0; i < 500; i++) {
      const a = Array.from({ length: 30 }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
      const b = edit(a);
      const c = r() < 0.5 ? edit(b) : edit(a);
      if (exact) {
        expect(keptRate(a, b, c)).toBeCloseTo(keptWhole(a, b, c), 12);
        expect(reversalRatio(a, b, c)).toBeCloseTo(reversalWhole(a, b, c), 12);
      }
      for (const t of trimShared(a, b, c)) expect(t).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
    }
  });

  // Over the whole texts this took seconds; trimmed, it ends well inside the test timeout.
  it('handles 5 MB documents', () => {
    const doc = Array.from({ length: 110_000 }, (_, i) => `const v${i} = compute(${i});\n`).join('');
    const mid = doc.length >> 1;
    const predicted = doc.slice(0, mid) + 'X' + doc.slice(mid);
    const final = doc.slice(0, mid) + 'XY' + doc.slice(mid);
    expect(keptRate(doc, predicted, final)).toBe(1);
    expect(reversalRatio(predicted, doc, predicted)).toBe(1);
  });
});
