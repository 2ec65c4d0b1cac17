const MAX_ORDER = 6;
const BETA = 0.5;

function ngramCounts(text: string, n: number): Map<string, number> {
  const counts = new Map<string, number>();
  const chars = Array.from(text);
  for (let i = 0; i + n <= chars.length; i++) {
    const g = chars.slice(i, i + n).join('');
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return counts;
}

/** Signed change of n-gram counts; a removed n-gram becomes a `-` token. */
function deltaCounts(from: Map<string, number>, to: Map<string, number>): Map<string, number> {
  const delta = new Map<string, number>();
  for (const key of new Set([...from.keys(), ...to.keys()])) {
    const d = (to.get(key) ?? 0) - (from.get(key) ?? 0);
    if (d > 0) delta.set('+' + key, d);
    else if (d < 0) delta.set('-' + key, -d);
  }
  return delta;
}

const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/**
 * chrF over the *changes*: how well the n-grams the prediction adds/removes
 * match those the expected edit adds/removes. 0-100; 100 when neither changed;
 * a null prediction counts as no change.
 */
export function deltaChrF(original: string, expected: string, predicted: string | null): number {
  const norm = (s: string) => s.replace(/\s+/g, ' ');
  const o = norm(original);
  const e = norm(expected);
  const p = norm(predicted ?? original);
  if (e === o && p === o) return 100;
  let precision = 0;
  let recall = 0;
  for (let n = 1; n <= MAX_ORDER; n++) {
    const oc = ngramCounts(o, n);
    const de = deltaCounts(oc, ngramCounts(e, n));
    const dp = deltaCounts(oc, ngramCounts(p, n));
    let tp = 0;
    for (const [k, v] of dp) tp += Math.min(v, de.get(k) ?? 0);
    const te = total(de);
    const tpn = total(dp);
    // An order where neither side changed anything agrees perfectly.
    precision += tpn === 0 ? (te === 0 ? 1 : 0) : tp / tpn;
    recall += te === 0 ? (tpn === 0 ? 1 : 0) : tp / te;
  }
  precision /= MAX_ORDER;
  recall /= MAX_ORDER;
  if (precision + recall === 0) return 0;
  const b2 = BETA * BETA;
  return (100 * (1 + b2) * precision * recall) / (b2 * precision + recall);
}
