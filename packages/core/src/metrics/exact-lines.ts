import { diffLines } from 'diff';

function changedLines(from: string, to: string): Map<string, number> {
  const bag = new Map<string, number>();
  for (const part of diffLines(from, to)) {
    if (!part.added && !part.removed) continue;
    for (const line of part.value.split('\n')) {
      if (line === '') continue;
      const key = (part.added ? '+' : '-') + line;
      bag.set(key, (bag.get(key) ?? 0) + 1);
    }
  }
  return bag;
}

/** Added/removed lines of the predicted vs the expected change, as bags. */
export function exactLines(
  original: string,
  expected: string,
  predicted: string | null,
): { tp: number; fp: number; fn: number } {
  const e = changedLines(original, expected);
  const p = changedLines(original, predicted ?? original);
  let tp = 0;
  let np = 0;
  let ne = 0;
  for (const [k, v] of p) {
    tp += Math.min(v, e.get(k) ?? 0);
    np += v;
  }
  for (const v of e.values()) ne += v;
  return { tp, fp: np - tp, fn: ne - tp };
}
