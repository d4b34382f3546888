import { afterEach, describe, expect, it, vi } from 'vitest';
import { capturedLogger } from '../../fixtures/testing/follow-up-context.ts';
import { testNumberFinder } from '../../fixtures/testing/test-parcels.ts';
import { type ApiWorld, startApiWorld } from '../api/testing/api-world.ts';
import { type App, createApp } from '../main.ts';
import { createStore } from '../store/store.ts';
import { type TestWorld, startTestWorld } from '../testing/test-app.ts';

/**
 * The background keeps to its share of a carrier's daily quota, through the real queues, workers,
 * robots and simulators (which count the calls they get): with 10 calls a day and agents keeping
 * 20 %, sweep jobs stop after 8 calls and their queue is held until 00:00 GMT, while agents'
 * look-ups still go through. The world's clock says 2026-03-10 08:00 GMT: 16 hours to midnight.
 */
const UNTIL_MIDNIGHT_MS = 16 * 3_600_000;
const BACKGROUND_CALLS = 8;

const CARRIERS = [
  // 30 numbers a call: sweep jobs of eight calls (240 numbers), the background's whole day.
  { carrier: 'fedex', env: { FEDEX_DAILY_QUOTA: '10', FEDEX_RATE_LIMIT: 'off' }, carrierQuota: { dailyQuota: 10 }, callsPerJob: 8 },
  // One number a call; at 5 calls a second, sweep jobs of 4 calls.
  { carrier: 'dhl', env: { DHL_DAILY_QUOTA: '10', DHL_RATE_LIMIT: '5/1s' }, carrierQuota: { quota: { perSecond: false, perDay: 10 } }, callsPerJob: 4 },
] as const;

type Simulator = { configure(config: unknown): void; stats(): { totalCalls: number; byStatus: Record<number, number> } };

let worlds: TestWorld[] = [];
afterEach(async () => {
  await Promise.all(worlds.map((world) => world.close()));
  worlds = [];
});

type Carrier = (typeof CARRIERS)[number]['carrier'];

function simulatorOf(world: TestWorld, carrier: Carrier): Simulator {
  return world.fixtures[carrier] as Simulator;
}

/** Sweep jobs of the carrier's size: `jobs` of them, on one parcel in transit. */
async function enqueueSweep(app: App, carrier: Carrier, jobs: number) {
  const number = testNumberFinder(carrier)('in-transit');
  const batch = { carrier, trackingNumbers: Array.from({ length: app.jobSizes.numbers(carrier) }, () => number) };
  return app.queues.addSweepBatches('quota', Array.from({ length: jobs }, () => batch), 0);
}

/** Waits until the background queue is held until 00:00 GMT (`untilMidnightMs` away), `done` jobs finished and none in hand. */
async function backgroundStopped(app: App, carrier: string, done: number, untilMidnightMs = UNTIL_MIDNIGHT_MS): Promise<void> {
  const queue = app.queues.queue(carrier, 'background');
  await vi.waitFor(
    async () => {
      expect(await queue.getRateLimitTtl()).toBeGreaterThan(untilMidnightMs - 60_000);
      expect(await queue.getJobCounts('completed', 'active')).toEqual({ completed: done, active: 0 });
    },
    { timeout: 20_000, interval: 50 },
  );
  expect(await queue.getRateLimitTtl()).toBeLessThanOrEqual(untilMidnightMs);
}

async function lookUp(app: App, carrier: Carrier) {
  const events = await app.queues.queueEvents(carrier, 'agents');
  const job = await app.queues.addAgentLookup(carrier, testNumberFinder(carrier)('in-transit'), 'agent-1');
  return job.waitUntilFinished(events, 20_000);
}

describe.each(CARRIERS)("$carrier's daily quota, shared by the lanes", ({ carrier, env, carrierQuota, callsPerJob }) => {
  it('stops the sweep after 8 of 10 calls, holds its queue until 00:00 GMT, and still answers an agent', async () => {
    const { logger, lines } = capturedLogger('info');
    const world: ApiWorld = await startApiWorld({ env: { AGENT_RATE_SHARE: '20', FRESH_FOR: '0s', ...env }, logger });
    worlds.push(world);
    const { app } = world;
    const simulator = simulatorOf(world, carrier);
    simulator.configure(carrierQuota);
    expect(app.jobSizes.calls(carrier)).toBe(callsPerJob);
    const fitting = BACKGROUND_CALLS / callsPerJob;
    await enqueueSweep(app, carrier, fitting + 2);

    const workers = app.startWorkers([carrier], 4);
    try {
      await backgroundStopped(app, carrier, fitting);
      const background = app.queues.queue(carrier, 'background');
      expect(simulator.stats().totalCalls).toBe(BACKGROUND_CALLS);
      expect(await background.getJobCounts('waiting', 'failed')).toEqual({ waiting: 2, failed: 0 });

      const answer = await lookUp(app, carrier);
      expect(answer.results[0]).toMatchObject({ outcome: 'found', status: 'in_transit' });
      // A while later: the agent's call, and no other.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(simulator.stats().totalCalls).toBe(BACKGROUND_CALLS + 1);
      expect(simulator.stats().byStatus[429]).toBeUndefined();
    } finally {
      await workers.close();
    }

    const stops = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => String(line.msg).startsWith('background stopped for the day'));
    expect(stops).toEqual([expect.objectContaining({ carrier, callsToday: BACKGROUND_CALLS, quota: 10, resetsAt: '2026-03-11T00:00:00.000Z' })]);

    const metrics = await world.server.inject({ method: 'GET', url: '/metrics', headers: world.bearer('admin') });
    expect(metrics.body.split('\n')).toEqual(
      expect.arrayContaining([
        `parcelbot_carrier_calls_today{carrier="${carrier}",lane="background"} 8`,
        `parcelbot_carrier_calls_today{carrier="${carrier}",lane="agents"} 1`,
        `parcelbot_carrier_calls_left_today{carrier="${carrier}",lane="background"} 0`,
        `parcelbot_carrier_calls_left_today{carrier="${carrier}",lane="agents"} 1`,
      ]),
    );
  });
});

describe('the daily count', () => {
  /** FedEx's sweep jobs the background's share of a day lets through. */
  const jobsADay = BACKGROUND_CALLS / CARRIERS[0].callsPerJob;

  it('is shared by every instance: two apps, each with its workers, make 8 background calls together', async () => {
    const logs = [capturedLogger(), capturedLogger()];
    const world = await startTestWorld({ env: { AGENT_RATE_SHARE: '20', ...CARRIERS[0].env }, logger: logs[0]!.logger });
    worlds.push(world);
    // A second instance on the same Redis and store, as a second worker process would be.
    const second = await createApp({ env: world.env, clock: world.clock, logger: logs[1]!.logger, openStore: async () => createStore(world.db) });
    await enqueueSweep(world.app, 'fedex', 8);
    const workers = [world.app.startWorkers(['fedex'], 2, ['background']), second.startWorkers(['fedex'], 2, ['background'])];
    try {
      await backgroundStopped(world.app, 'fedex', jobsADay);
      expect(world.fixtures.fedex.stats().totalCalls).toBe(BACKGROUND_CALLS);
      // Each instance took jobs (done, or refused for the other's calls): each counted on its own, they would make 16.
      for (const { lines } of logs) expect(lines.some((line) => line.includes('"jobId":"sweep-quota-'))).toBe(true);
    } finally {
      await Promise.all(workers.map((set) => set.close()));
      await second.close();
    }
  });

  it('starts again with the GMT day: a sweep across midnight makes 8 calls before it, 8 after, then waits again', async () => {
    const world = await startTestWorld({ now: '2026-03-10T23:30:00Z', env: { AGENT_RATE_SHARE: '20', ...CARRIERS[0].env } });
    worlds.push(world);
    const { app, clock } = world;
    await enqueueSweep(app, 'fedex', 10);
    const firstDay = app.startWorkers(['fedex'], 4, ['background']);
    await backgroundStopped(app, 'fedex', jobsADay, 30 * 60_000).finally(() => firstDay.close());

    clock.set('2026-03-11T00:10:00Z');
    // The hold runs out on Redis's clock and in the workers that met it: removing it and starting
    // workers afresh stands for the 40 minutes passing.
    await app.queues.queue('fedex', 'background').removeRateLimitKey();
    const nextDay = app.startWorkers(['fedex'], 4, ['background']);
    await backgroundStopped(app, 'fedex', 2 * jobsADay, 23 * 3_600_000 + 50 * 60_000).finally(() => nextDay.close());
    expect(world.fixtures.fedex.stats().totalCalls).toBe(2 * BACKGROUND_CALLS);
    expect(await app.dailyBudget.usage()).toContainEqual({ carrier: 'fedex', quota: 10, backgroundLimit: 8, agents: 0, background: 8 });
  });
});
