import { describe, expect, it } from 'vitest';
import { alignedPositions, continuePositions, sequentialPositions } from './positions.js';

const M = { region: 4, cursor: 5, answer: 7 };

describe('alignedPositions', () => {
  it('restarts the answer at the region, gives the cursor no position, counts the rest', () => {
    // 0 <region> a b <cursor> c </region> <answer>
    const tokens = [0, 4, 20, 21, 5, 22, 6, 7];
    expect(alignedPositions(tokens, M)).toEqual([0, 1, 2, 3, 4, 4, 5, 1]);
    // Generated tokens continue one apart: answer token k sits where region token k did.
    const answer = continuePositions(alignedPositions(tokens, M), 3);
    expect(answer).toEqual([2, 3, 4]);
  });

  it('is causal: a prefix gets the positions it has inside a longer sequence', () => {
    const tokens = [1, 2, 4, 9, 9, 5, 9, 6, 7, 3, 3];
    const all = alignedPositions(tokens, M);
    for (let n = 0; n <= tokens.length; n++) expect(alignedPositions(tokens.slice(0, n), M)).toEqual(all.slice(0, n));
  });

  it('is sequential without markers', () => {
    expect(alignedPositions([1, 2, 3], M)).toEqual(sequentialPositions(3));
    expect(sequentialPositions(2, 5)).toEqual([5, 6]);
    expect(continuePositions([], 2)).toEqual([0, 1]);
  });
});
