import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { capturedLogger } from '../../fixtures/testing/follow-up-context.ts';
import { rejectionOf } from '../../fixtures/testing/robot-errors.ts';
import { fixedClock } from '../infra/clock.ts';
import { RobotError } from '../robot-kit/robot-error.ts';
import { TEST_REDIS_URL, deleteKeys } from '../testing/test-app.ts';
import { DailyCallBudget } from './daily-call-budget.ts';

// The count on a real Redis, on a clock the tests move: FedEx with 10 calls a day, agents keeping 20 %.
const AT_16_GMT = '2026-03-10T16:00:00Z';
const UNTIL_MIDNIGHT_FROM_16 = 8 * 3_600_000;

let prefix: string;
let connections: Redis[];
const clock = fixedClock(AT_16_GMT);

beforeEach(() => {
  prefix = `test-${randomBytes(5).toString('hex')}`;
  connections = [];
  clock.set(AT_16_GMT);
});
afterEach(async () => {
  await Promise.all(connections.map((connection) => connection.quit()));
  await deleteKeys(prefix);
});

/** A budget with a Redis connection of its own, as each process has. */
function budget(logger = capturedLogger().logger): DailyCallBudget {
  const redis = new Redis(TEST_REDIS_URL);
  connections.push(redis);
  return new DailyCallBudget({ redis, prefix, quotas: { fedex: 10, laposte: undefined }, agentSharePercent: 20, clock, logger });
}

/** Whether the budget lets a job of `calls` calls of `lane` through. */
async function lets(of: DailyCallBudget, lane: 'agents' | 'background', calls: number): Promise<boolean> {
  try {
    await of.spend('fedex', lane, calls);
    return true;
  } catch (error) {
    if (error instanceof RobotError && error.code === 'CARRIER_RATE_LIMITED') return false;
    throw error;
  }
}

describe('the daily call budget', () => {
  it('lets the background make 80 % of the quota, then holds it until 00:00 GMT', async () => {
    const fedex = budget();
    expect(await Promise.all([1, 2, 3, 4].map(() => lets(fedex, 'background', 2)))).toEqual([true, true, true, true]);
    const refusal = await rejectionOf(fedex.spend('fedex', 'background', 1));
    expect(refusal).toMatchObject({ code: 'CARRIER_RATE_LIMITED', retryAfterMs: UNTIL_MIDNIGHT_FROM_16 });
    expect(refusal.message).toBe("fedex: the background has reached its share of the daily quota (8 of 10 calls made today, 8 at most for sweeps and checks: AGENT_RATE_SHARE keeps 20 % for agents' look-ups): its sweeps and checks wait until 00:00 GMT");
    expect(await fedex.usage()).toEqual([{ carrier: 'fedex', quota: 10, backgroundLimit: 8, agents: 0, background: 8 }]);
  });

  it("counts agents' look-ups in the day's total, never holds them, and leaves the background what stays under its share", async () => {
    const fedex = budget();
    expect(await lets(fedex, 'agents', 3)).toBe(true);
    expect(await lets(fedex, 'background', 6)).toBe(false);
    expect(await lets(fedex, 'background', 5)).toBe(true);
    expect(await lets(fedex, 'background', 1)).toBe(false);
    // Past the quota too: only the carrier's own 429 stops agents.
    expect(await Promise.all([1, 2, 3].map(() => lets(fedex, 'agents', 1)))).toEqual([true, true, true]);
    expect(await fedex.usage()).toEqual([{ carrier: 'fedex', quota: 10, backgroundLimit: 8, agents: 6, background: 5 }]);
  });

  it('refuses a job whose calls do not all fit, counting none of them', async () => {
    const fedex = budget();
    expect(await lets(fedex, 'background', 7)).toBe(true);
    expect(await lets(fedex, 'background', 2)).toBe(false);
    expect((await fedex.usage())[0]).toMatchObject({ background: 7 });
  });

  it('is shared by every process: 30 jobs at once from two of them, 8 counted', async () => {
    const [first, second] = [budget(), budget()];
    const allowed = await Promise.all(Array.from({ length: 30 }, (_, index) => lets(index % 2 === 0 ? first : second, 'background', 1)));
    expect(allowed.filter(Boolean)).toHaveLength(8);
    expect((await second.usage())[0]).toMatchObject({ background: 8 });
  });

  it('starts again with the GMT day, its key gone an hour after its day', async () => {
    clock.set('2026-03-10T23:59:00Z');
    const fedex = budget();
    expect(await lets(fedex, 'background', 8)).toBe(true);
    expect(await lets(fedex, 'background', 1)).toBe(false);
    const ttl = await connections[0]!.pttl(`${prefix}:daily-calls:fedex:2026-03-10`);
    expect(ttl).toBeGreaterThan(3_600_000);
    expect(ttl).toBeLessThanOrEqual(3_660_000);

    clock.set('2026-03-11T00:00:00Z');
    expect(await fedex.usage()).toEqual([{ carrier: 'fedex', quota: 10, backgroundLimit: 8, agents: 0, background: 0 }]);
    expect(await lets(fedex, 'background', 8)).toBe(true);
    expect(await lets(fedex, 'background', 1)).toBe(false);
  });

  it('says once a day, for every process, that the background stopped, with the carrier and when it resumes', async () => {
    const [one, other] = [capturedLogger(), capturedLogger()];
    const [first, second] = [budget(one.logger), budget(other.logger)];
    await first.spend('fedex', 'background', 8);
    for (const each of [first, second, first, second]) expect(await lets(each, 'background', 1)).toBe(false);
    const stops = [...one.lines, ...other.lines].map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(stops).toHaveLength(1);
    expect(stops[0]).toMatchObject({ level: 40, carrier: 'fedex', callsToday: 8, quota: 10, backgroundLimit: 8, resetsAt: '2026-03-11T00:00:00.000Z' });
    expect(stops[0]?.msg).toMatch(/^background stopped for the day: fedex: the background has reached its share/);
  });

  it('counts nothing for a carrier without a daily quota', async () => {
    const laposte = budget();
    for (let call = 0; call < 20; call++) await laposte.spend('laposte', 'background', 10);
    expect(await connections[0]!.exists(`${prefix}:daily-calls:laposte:2026-03-10`)).toBe(0);
    expect(await laposte.usage()).toEqual([{ carrier: 'fedex', quota: 10, backgroundLimit: 8, agents: 0, background: 0 }]);
  });
});
