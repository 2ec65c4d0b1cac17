import { diffChars } from 'diff';

/** Characters inserted plus deleted to turn `a` into `b`. */
export function charDistance(a: string, b: string): number {
  if (a === b) return 0;
  let n = 0;
  for (const part of diffChars(a, b)) if (part.added || part.removed) n += part.value.length;
  return n;
}
