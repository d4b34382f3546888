import { describe, expect, it } from 'vitest';
import { RobotRegistry } from '../robot-kit/registry.ts';
import { JobSizes } from './job-size.ts';

const registry = await RobotRegistry.load();

/** Calls per millisecond a limiter lets through at most, for jobs of `calls` calls. */
const rateOf = (limiter: { max: number; duration: number }, calls: number) => (limiter.max * calls) / limiter.duration;

describe('sweep job sizes and lane limiters (agents keep a fifth of the limit)', () => {
  it.each([
    // carrier, its rate limit, numbers per sweep job, calls per sweep job, the agents' limiter, the background's
    ['laposte', undefined, 240, 24, undefined, undefined],
    ['laposte', { max: 100, durationMs: 1000 }, 240, 24, { max: 20, duration: 1000 }, { max: 3, duration: 1000 }],
    ['fedex', { max: 1400, durationMs: 10_000 }, 240, 8, { max: 280, duration: 10_000 }, { max: 140, duration: 10_000 }],
    ['ups', undefined, 240, 240, undefined, undefined],
    ['ups', { max: 10, durationMs: 1000 }, 8, 8, { max: 2, duration: 1000 }, { max: 1, duration: 1000 }],
    // DHL's initial tier, one call a second: an agent's look-up every 5 s, a sweep job every 1.25 s.
    ['dhl', { max: 1, durationMs: 1000 }, 1, 1, { max: 1, duration: 5000 }, { max: 1, duration: 1250 }],
    ['dhl', { max: 5, durationMs: 1000 }, 4, 4, { max: 1, duration: 1000 }, { max: 1, duration: 1000 }],
    // A portal robot: one look-up a job, whatever its limit.
    ['relay-portal', { max: 30, durationMs: 60_000 }, 1, 1, { max: 6, duration: 60_000 }, { max: 24, duration: 60_000 }],
  ] as const)('%s limited to %j: %i numbers per job in %i calls, limiters %j and %j', (carrier, rateLimit, numbers, calls, agents, background) => {
    const sizes = new JobSizes(registry, { [carrier]: rateLimit }, 0.2);
    expect(sizes.numbers(carrier)).toBe(numbers);
    expect(sizes.calls(carrier)).toBe(calls);
    expect(sizes.limiter(carrier, 'agents')).toEqual(agents);
    expect(sizes.limiter(carrier, 'background')).toEqual(background);
    // However the jobs of both lanes fall, the carrier never sees more calls than its limit.
    if (rateLimit && agents && background) {
      expect(rateOf(agents, 1) + rateOf(background, calls)).toBeLessThanOrEqual(rateLimit.max / rateLimit.durationMs + 1e-12);
    }
  });
});

describe("sweep job sizes within the background's share of a daily quota", () => {
  it.each([
    // carrier, its rate limit, the background's calls a day, calls per sweep job
    ['dhl', undefined, 8, 8],
    ['fedex', { max: 1400, durationMs: 10_000 }, 1, 1],
    // Under one call a day the background makes none: its one-call jobs wait for the next day, every day.
    ['dhl', undefined, 0, 1],
  ] as const)('%s limited to %j, the background allowed %i calls a day: jobs of %i calls', (carrier, rateLimit, backgroundDailyCalls, calls) => {
    // A job is refused whole when its calls do not fit in what is left: one larger than the share would never go.
    expect(new JobSizes(registry, { [carrier]: rateLimit }, 0.2, { [carrier]: backgroundDailyCalls }).calls(carrier)).toBe(calls);
  });
});
