import { percentile, percentileRank, seededRandom, seedOf } from './statistics';

describe('statistics', () => {
  it('takes type 7 percentiles (linear between closest ranks), worked by hand', () => {
    // n = 5: h = 4p. p10: h = 0.4, 1 + 0.4 × 1 = 1.4; p90: h = 3.6, 4 + 0.6 × 1 = 4.6.
    expect([0.1, 0.25, 0.5, 0.75, 0.9].map((p) => percentile([1, 2, 3, 4, 5], p))).toEqual([1.4, 2, 3, 4, 4.6]);
    // n = 6: h = 5p. p25: h = 1.25, 1.5 + 0.25 × 0.5 = 1.625; p90: h = 4.5, 3 + 0.5 × 1 = 3.5.
    expect([0.1, 0.25, 0.5, 0.75, 0.9].map((p) => percentile([1, 1.5, 2, 2.5, 3, 4], p))).toEqual([1.25, 1.625, 2.25, 2.875, 3.5]);
    expect(percentile([7], 0.9)).toBe(7);
  });

  it('ranks by mid-rank: below plus half of the equal ones', () => {
    expect(percentileRank([1, 2, 3, 4], 3)).toBe(62.5);
    expect(percentileRank([2, 2, 2], 2)).toBe(50);
    expect(percentileRank([1, 2, 3, 4], 0)).toBe(0);
  });

  it('draws the same sequence from the same seed, another from another', () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return [random(), random(), random()];
    };
    expect(draw(seedOf('a1'))).toEqual(draw(seedOf('a1')));
    expect(draw(seedOf('a1'))).not.toEqual(draw(seedOf('a2')));
    expect(draw(1).every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
