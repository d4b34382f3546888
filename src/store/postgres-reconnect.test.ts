import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedParcels } from '../../fixtures/testing/seed-parcels.ts';
import { decisionOf, jobOutcome } from '../../fixtures/testing/follow-ups.ts';
import { type TestWorld, startTestWorld } from '../testing/test-app.ts';

// PostgreSQL cuts the app's connections in the middle of work (pg_terminate_backend on every
// backend of this test's pool, as a server restart or a proxy would): the pool replaces them, the
// jobs that were using them fail once and are retried, and the process never stops. Only the
// connections named after this test's schema are cut (the server is shared).

const databaseUrl = process.env.DATABASE_URL || undefined;

describe.skipIf(!databaseUrl)('PostgreSQL connections cut during work (DATABASE_URL)', () => {
  let world: TestWorld;
  let admin: pg.Client;
  beforeAll(async () => {
    world = await startTestWorld({ env: { DHL_RATE_LIMIT: 'off', TRACK_ATTEMPTS: '5', FOLLOWUP_ATTEMPTS: '5', FOLLOWUP_BACKOFF_MS: '20' } });
    admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await world?.close();
  });

  /** Terminates every backend of the app's pool; how many there were. */
  async function cutConnections(): Promise<number> {
    const [{ schema }] = (await world.db.query<{ schema: string }>('select current_schema() as schema')) as [{ schema: string }];
    const rows = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [`parcelbot:${schema}`]);
    return rows.rowCount ?? 0;
  }

  const unchecked = async () => (await world.db.query<{ n: number }>('select count(*)::int as n from shipments where last_checked_at is null'))[0]?.n;

  it('is survived: every parcel is checked, cut jobs retried, follow-ups run', { timeout: 120_000 }, async () => {
    const { app, fixtures } = world;
    const store = await app.store();
    const parcels = seedParcels(fixtures, 'dhl', 40);
    await store.shipments.upsertMany(parcels, app.clock.now());
    fixtures.dhl.setFaults({ latencyMs: 40 });
    const workers = app.startWorkers(['dhl'], 4);
    const followUpWorker = app.startFollowUpWorker(2);
    try {
      await app.queues.addSweepBatches('cut', parcels.map((parcel) => ({ carrier: 'dhl', trackingNumbers: [parcel.trackingNumber] })), 0);
      let cut = 0;
      for (let round = 0; round < 15; round++) {
        cut += await cutConnections();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(cut).toBeGreaterThan(0);
      await expect.poll(unchecked, { timeout: 60_000, interval: 200 }).toBe(0);
      const failed = await app.queues.queue('dhl', 'background').getFailedCount();
      expect(failed).toBe(0);

      const [first] = await store.shipments.list(1);
      const { followUp } = await app.followUps.propose(first!, decisionOf('manager_case'));
      await cutConnections();
      expect(await jobOutcome(app, followUp.id)).toEqual({ completed: expect.objectContaining({ state: 'done' }) });
    } finally {
      await followUpWorker.close();
      await workers.close();
    }
  });
});
