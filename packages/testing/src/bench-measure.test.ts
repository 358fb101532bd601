import { describe, expect, it } from 'vitest';
import { compareRuns, median, percentile } from './bench-measure.ts';
import { benchRow } from './bench-results.ts';

describe('median and percentile', () => {
  it('take the middle of an odd count and the mean of an even one', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('interpolate between the nearest ranks', () => {
    const values = Array.from({ length: 101 }, (_, index) => index);

    expect(percentile(values, 99)).toBe(99);
    expect(percentile([10, 20], 75)).toBe(17.5);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('compareRuns', () => {
  it('alternates which side goes first and drops the warm-up rounds', async () => {
    const order: string[] = [];
    let oursCount = 0;
    const result = await compareRuns(
      () => {
        order.push('ours');
        oursCount += 1;
        return oursCount;
      },
      () => {
        order.push('baseline');
        return 10;
      },
      { rounds: 3, warmUpRounds: 1 },
    );

    expect(order.slice(0, 4)).toEqual(['ours', 'baseline', 'baseline', 'ours']);
    expect(result.oursRuns).toEqual([2, 3, 4]);
    expect(result).toMatchObject({ ours: 3, baseline: 10 });
  });
});

describe('benchRow', () => {
  const base = { bench: 'b', subject: 's', case: 'c', unit: 'ops/s', runs: 3 };

  it('derives the ratio and whether a ratio target is met', () => {
    const row = benchRow({
      ...base,
      ours: 300,
      baselineName: 'raw',
      baseline: 100,
      target: { on: 'ratio', op: '>=', value: 4 },
    });

    expect(row).toMatchObject({ ratio: 3, met: false });
  });

  it('checks a bound on our own figure when there is no baseline', () => {
    const row = benchRow({
      ...base,
      unit: 'MB',
      ours: 120.4567,
      target: { on: 'ours', op: '<', value: 150 },
    });

    expect(row).toMatchObject({ ours: 120, ratio: null, met: true });
  });
});
