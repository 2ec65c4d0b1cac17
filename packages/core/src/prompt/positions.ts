// Rotary positions for prompts. Sequential positions put a region token and the
// answer token that copies it a region's length apart, a distance that changes
// per example, so a small model must learn content-based copying. Aligned
// positions restart the answer at the region's position (and give the cursor
// marker none), so an unchanged answer token sits at a fixed offset from the
// token it copies: a lookup one attention head learns quickly.

/** Token ids of the markers the aligned layout keys on. */
export interface PositionMarkers {
  region: number;
  cursor: number;
  answer: number;
}

/** 0, 1, 2, ... */
export function sequentialPositions(count: number, start = 0): number[] {
  return Array.from({ length: count }, (_, i) => start + i);
}

/**
 * Position per token: `answer` takes the position of the last `region` before
 * it, `cursor` takes none (shares the next token's), the rest count up by one.
 * Causal: a token's position depends only on the tokens before it, so a KV
 * cache over a shared prefix stays valid.
 */
export function alignedPositions(tokens: readonly number[], markers: PositionMarkers): number[] {
  const out: number[] = [];
  let next = 0;
  let regionAt = 0;
  for (const t of tokens) {
    if (t === markers.answer) next = regionAt;
    out.push(next);
    if (t === markers.region) regionAt = next;
    if (t !== markers.cursor) next++;
  }
  return out;
}

/** Positions of `count` tokens generated after a prompt with `positions`: one apart, after the last. */
export function continuePositions(positions: readonly number[], count: number): number[] {
  const last = positions.length ? positions[positions.length - 1]! : -1;
  return sequentialPositions(count, last + 1);
}

/** How a format places generated tokens: position of `token` given the one before it. */
export type NextPosition = (token: number, previous: number) => number;

/**
 * Positions of `tokens` generated after a sequence ending at `last` (-1: none):
 * one apart, or as the prompt format's `nextPosition` places them.
 */
export function placeAfter(last: number, tokens: readonly number[], nextPosition?: NextPosition): number[] {
  const out: number[] = [];
  let prev = last;
  for (const t of tokens) {
    prev = nextPosition ? nextPosition(t, prev) : prev + 1;
    out.push(prev);
  }
  return out;
}
