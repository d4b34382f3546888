import { describe, expect, it } from 'vitest';
import { callsPerJob, jobLimiter, numbersPerJob } from './job-size.ts';

describe('sweep job sizes', () => {
  it.each([
    [1, 10, 10],
    [10, 10, 1],
    [30, 30, 1],
    [4, 12, 3],
  ])('a carrier taking %i numbers per call gets %i numbers per job, in %i calls', (maxBatch, numbers, calls) => {
    expect(numbersPerJob(maxBatch)).toBe(numbers);
    expect(callsPerJob(maxBatch)).toBe(calls);
  });

  it.each([
    [{ max: 100, durationMs: 1000 }, 1, { max: 100, duration: 1000 }],
    [{ max: 100, durationMs: 1000 }, 10, { max: 10, duration: 1000 }],
    [{ max: 1400, durationMs: 10_000 }, 3, { max: 466, duration: 10_000 }],
    // DHL's initial tier: one call a second, ten calls a job: one job every ten seconds.
    [{ max: 1, durationMs: 1000 }, 10, { max: 1, duration: 10_000 }],
    [{ max: 30, durationMs: 60_000 }, 10, { max: 3, duration: 60_000 }],
  ])('keeps %j with %i calls per job under the carrier limit: %j', (rateLimit, calls, limiter) => {
    expect(jobLimiter(rateLimit, calls)).toEqual(limiter);
    expect((limiter.max * calls * rateLimit.durationMs) / limiter.duration).toBeLessThanOrEqual(rateLimit.max);
  });

  it('sets no limiter when the carrier has none', () => {
    expect(jobLimiter(undefined, 10)).toBeUndefined();
  });
});
