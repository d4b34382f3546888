import { afterEach, describe, expect, it } from 'vitest';
import { numberFor } from '../../fixtures/laposte/testing.ts';
import { type TestWorld, startTestWorld } from '../testing/test-app.ts';

/**
 * BullMQ's limiter counts fixed windows; this carrier simulator counts a sliding one, so a limit
 * of half its quota keeps every worker under it even across a window boundary.
 */
describe('per-carrier rate limit', () => {
  let world: TestWorld;
  afterEach(async () => world.close());

  async function burst(rateLimit: string) {
    // Every look-up asks the carrier: none is answered from the store (FRESH_FOR).
    world = await startTestWorld({ env: { LAPOSTE_RATE_LIMIT: rateLimit, FRESH_FOR: '0s' }, simulatorsOnRealTime: true });
    world.fixtures.laposte.configure({ rateLimit: { limit: 6, windowMs: 1000 } });
    const { app } = world;
    const events = await app.queues.queueEvents('laposte');
    const jobs = await Promise.all(Array.from({ length: 12 }, () => app.queues.addAgentLookup('laposte', numberFor('in-transit'), 'agent-1')));
    // Two sets of workers, as two processes would run: the limit is the queue's, shared through Redis.
    const workers = [app.startWorkers(['laposte'], 6), app.startWorkers(['laposte'], 6)];
    try {
      const results = await Promise.all(jobs.map((job) => job.waitUntilFinished(events, 30_000)));
      return { found: results.filter((result) => result.results[0]?.outcome === 'found').length, stats: world.fixtures.laposte.stats() };
    } finally {
      await Promise.all(workers.map((set) => set.close()));
    }
  }

  it('keeps every worker of every process under the carrier quota: no 429', async () => {
    const { found, stats } = await burst('3/1s');
    expect(found).toBe(12);
    expect(stats.byStatus[429]).toBeUndefined();
    expect(stats.totalCalls).toBe(12);
  });

  it('without a limit the same burst meets 429s, and still ends found by waiting for Retry-After', async () => {
    const { found, stats } = await burst('off');
    expect(found).toBe(12);
    expect(stats.byStatus[429]).toBeGreaterThan(0);
  });
});
