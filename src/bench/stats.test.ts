import { describe, expect, it } from 'vitest';
import { inParallel, percentile, perSecond } from './stats.ts';

describe('benchmark arithmetic', () => {
  it.each([
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99, 10],
    [[10, 1, 5], 0.5, 5],
    [[42], 0.99, 42],
  ])('percentile of %j at %d is %d', (samples, fraction, expected) => {
    expect(percentile(samples, fraction)).toBe(expected);
  });

  it('has no percentile of nothing', () => {
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('counts per second', () => {
    expect(perSecond(3000, 1500)).toBe(2000);
  });

  it('runs every item, never more than the concurrency at once', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await inParallel([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(item);
      running -= 1;
    });
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });
});
