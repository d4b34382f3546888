import { describe, expect, it } from 'vitest';
import { RobotRegistry } from '../robot-kit/registry.ts';
import { JobSizes } from './job-size.ts';

const registry = await RobotRegistry.load();

describe('sweep job sizes', () => {
  it.each([
    // carrier, its rate limit, numbers per job, calls per job, the queue limiter
    ['laposte', undefined, 30, 3, undefined],
    ['laposte', { max: 100, durationMs: 1000 }, 30, 3, { max: 33, duration: 1000 }],
    ['fedex', { max: 1400, durationMs: 10_000 }, 30, 1, { max: 1400, duration: 10_000 }],
    ['ups', undefined, 30, 30, undefined],
    ['ups', { max: 10, durationMs: 1000 }, 10, 10, { max: 1, duration: 1000 }],
    // DHL's initial tier, one call a second: one call a job, one job a second.
    ['dhl', { max: 1, durationMs: 1000 }, 1, 1, { max: 1, duration: 1000 }],
    ['dhl', { max: 5, durationMs: 1000 }, 5, 5, { max: 1, duration: 1000 }],
    // A portal robot: one look-up a job, whatever its limit.
    ['relay-portal', { max: 30, durationMs: 60_000 }, 1, 1, { max: 30, duration: 60_000 }],
  ] as const)('%s limited to %j: %i numbers per job in %i calls, limiter %j', (carrier, rateLimit, numbers, calls, limiter) => {
    const sizes = new JobSizes(registry, { [carrier]: rateLimit });
    expect(sizes.numbers(carrier)).toBe(numbers);
    expect(sizes.calls(carrier)).toBe(calls);
    expect(sizes.limiter(carrier)).toEqual(limiter);
    // However the jobs fall, the carrier never sees more calls in a window than its limit.
    if (rateLimit && limiter) expect(limiter.max * calls).toBeLessThanOrEqual(rateLimit.max);
  });
});
