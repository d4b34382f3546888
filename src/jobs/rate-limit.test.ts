import { afterEach, describe, expect, it } from 'vitest';
import { numberFor } from '../../fixtures/laposte/testing.ts';
import { type TestWorld, startTestWorld } from '../testing/test-app.ts';

/**
 * BullMQ's limiter counts fixed windows; this carrier simulator counts a sliding one, so a limit
 * of half its quota keeps every worker under it even across a window boundary. Both lanes draw on
 * the one limit: agents' look-ups their share (AGENT_RATE_SHARE), sweep jobs the rest.
 */
describe('per-carrier rate limit, shared by the two lanes', () => {
  let world: TestWorld;
  afterEach(async () => world.close());

  async function burst(rateLimit: string) {
    // Every look-up asks the carrier: none is answered from the store (FRESH_FOR).
    world = await startTestWorld({ env: { LAPOSTE_RATE_LIMIT: rateLimit, AGENT_RATE_SHARE: '50', FRESH_FOR: '0s' }, simulatorsOnRealTime: true });
    world.fixtures.laposte.configure({ rateLimit: { limit: 8, windowMs: 1000 } });
    const { app } = world;
    const lookupEvents = await app.queues.queueEvents('laposte', 'agents');
    const sweepEvents = await app.queues.queueEvents('laposte', 'background');
    const lookups = await Promise.all(Array.from({ length: 12 }, () => app.queues.addAgentLookup('laposte', numberFor('in-transit'), 'agent-1')));
    const batch = () => ({ carrier: 'laposte', trackingNumbers: Array.from({ length: app.jobSizes.numbers('laposte') }, () => numberFor('in-transit')) });
    const sweepJobs = await app.queues.addSweepBatches('burst', Array.from({ length: 4 }, batch), 0);
    // Two sets of workers, as two processes would run: the limits are the queues', shared through Redis.
    const workers = [app.startWorkers(['laposte'], 6), app.startWorkers(['laposte'], 6)];
    try {
      const answers = await Promise.all([...lookups.map((job) => job.waitUntilFinished(lookupEvents, 30_000)), ...sweepJobs.map((job) => job.waitUntilFinished(sweepEvents, 30_000))]);
      const results = answers.flatMap((answer) => answer.results);
      return { found: results.filter((result) => result.outcome === 'found').length, numbers: results.length, stats: world.fixtures.laposte.stats() };
    } finally {
      await Promise.all(workers.map((set) => set.close()));
    }
  }

  it('keeps every worker of every process and both lanes under the carrier quota: no 429', async () => {
    const { found, numbers, stats } = await burst('4/1s');
    // Half of 4 calls a second for sweeps: jobs of 2 calls of 10 numbers.
    expect(numbers).toBe(12 + 4 * 20);
    expect(found).toBe(numbers);
    expect(stats.byStatus[429]).toBeUndefined();
    expect(stats.totalCalls).toBe(12 + 4 * 2);
  });

  it('without a limit the same burst meets 429s, and still ends found by waiting for Retry-After', async () => {
    const { found, numbers, stats } = await burst('off');
    expect(found).toBe(numbers);
    expect(stats.byStatus[429]).toBeGreaterThan(0);
  });
});
