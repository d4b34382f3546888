import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedParcels } from '../../fixtures/testing/seed-parcels.ts';
import { decisionOf, jobOutcome } from '../../fixtures/testing/follow-ups.ts';
import { startSweep } from '../jobs/sweep-session.ts';
import { type PrivateRedis, startPrivateRedis } from '../testing/private-redis.ts';
import { type TestWorld, startTestWorld } from '../testing/test-app.ts';

// Redis is restarted under running workers: a private redis-server (the machine's is shared), which
// persists as BullMQ's Redis should (append-only file), stopped with SHUTDOWN and started again.
// Nothing is restarted by hand on parcelbot's side: workers, queue listeners and the sweep carry on.

describe('a Redis restart during work', () => {
  let redis: PrivateRedis;
  let world: TestWorld;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    world = await startTestWorld({ env: { REDIS_URL: redis.url, DHL_RATE_LIMIT: 'off', FOLLOWUP_ATTEMPTS: '3', FOLLOWUP_BACKOFF_MS: '20' } });
  });
  afterAll(async () => {
    await world?.close();
    await redis?.stop();
  });

  const unchecked = async () => (await world.db.query<{ n: number }>('select count(*)::int as n from shipments where last_checked_at is null'))[0]?.n;

  it('is survived without a hand: the sweep under way checks every parcel, listeners opened before it hear jobs after it, follow-ups run', { timeout: 120_000 }, async () => {
    const { app, fixtures } = world;
    const store = await app.store();
    await store.shipments.upsertMany(seedParcels(fixtures, 'dhl', 30), app.clock.now());
    // Slow answers: the restart lands in the middle of the sweep.
    fixtures.dhl.setFaults({ latencyMs: 150 });
    const events = await app.queues.queueEvents('dhl', 'agents');
    const workers = app.startWorkers(['dhl'], 2);
    const followUpWorker = app.startFollowUpWorker(2);
    try {
      const sweep = startSweep(app, { trigger: 'manual' });
      await expect.poll(unchecked, { timeout: 60_000, interval: 100 }).toBeLessThanOrEqual(22);
      await redis.restart(1500);

      expect(await sweep).toMatchObject({ state: 'done', enqueued: 30, checked: 30, failed: 0 });
      expect(await unchecked()).toBe(0);

      const [first] = await store.shipments.list(1);
      const lookup = await app.queues.addAgentLookup('dhl', first!.trackingNumber, 'agent-7', { refresh: true });
      expect((await lookup.waitUntilFinished(events, 30_000)).results[0]).toMatchObject({ outcome: 'found' });

      const { followUp } = await app.followUps.propose(first!, decisionOf('manager_case'));
      expect(await jobOutcome(app, followUp.id)).toEqual({ completed: expect.objectContaining({ state: 'done' }) });
    } finally {
      await followUpWorker.close();
      await workers.close();
    }
  });
});
