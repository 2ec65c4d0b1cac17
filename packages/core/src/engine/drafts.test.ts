import { describe, expect, it } from 'vitest';
import { DraftTracker } from './drafts.js';

/** Feed `out` one token at a time, as generate does. */
function follow(draft: number[], out: number[]): DraftTracker {
  const tracker = new DraftTracker(draft);
  for (let n = 1; n <= out.length; n++) tracker.advance(out.slice(0, n), 1);
  return tracker;
}

const draft = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];

describe('DraftTracker', () => {
  it('proposes the draft from its start, capped', () => {
    expect(new DraftTracker(draft).propose(3)).toEqual([10, 11, 12]);
    expect(follow(draft, [10, 11]).propose(100)).toEqual(draft.slice(2));
  });

  it('is unaligned right after a divergence and re-aligns after an insertion', () => {
    expect(follow(draft, [10, 11, 99]).propose(4)).toEqual([]);
    // The model inserted 99, then went on copying 12 13 14.
    expect(follow(draft, [10, 11, 99, 12, 13, 14]).propose(3)).toEqual([15, 16, 17]);
  });

  it('re-aligns after a deletion and after a replacement', () => {
    expect(follow(draft, [10, 11, 15, 16, 17]).propose(2)).toEqual([18, 19]);
    expect(follow(draft, [10, 11, 50, 51, 14, 15, 16]).propose(2)).toEqual([17, 18]);
  });

  it('never re-aligns before where it already was', () => {
    const repeated = [1, 2, 3, 9, 1, 2, 3, 8];
    // Consumed the first "1 2 3 9"; a later "1 2 3" must match the second copy.
    expect(follow(repeated, [1, 2, 3, 9, 1, 2, 3]).propose(1)).toEqual([8]);
    expect(follow(repeated, [1, 2, 3, 9, 7, 1, 2, 3]).propose(1)).toEqual([8]);
  });
});
