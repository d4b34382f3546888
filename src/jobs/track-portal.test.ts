import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberFor } from '../../fixtures/relay-portal/testing.ts';
import { type TestWorld, startTestWorld } from '../testing/test-app.ts';

/**
 * A portal robot's look-up as any carrier's: a job on its BullMQ queue on real Redis, a worker,
 * the relay robot in real headless Chromium on the portal simulator (authenticator code and all),
 * the store.
 */
describe('a track job for a portal carrier', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await startTestWorld();
  });
  afterAll(async () => world?.close());

  it("answers an agent's look-up from the portal and stores its events as read from the portal", async () => {
    const { app, db } = world;
    const trackingNumber = numberFor('ready-for-pickup');
    const events = await app.queues.queueEvents('relay-portal', 'agents');
    const job = await app.queues.addAgentLookup('relay-portal', trackingNumber, 'agent-12');
    const workers = app.startWorkers(['relay-portal'], 2);
    const { results } = await job.waitUntilFinished(events, 60_000).finally(() => workers.close());

    expect(results).toEqual([expect.objectContaining({ outcome: 'found', trackingNumber, carrier: 'relay-portal', status: 'ready_for_pickup' })]);
    expect(results[0]?.answer?.events[0]).toMatchObject({ code: 'RDY', status: 'ready_for_pickup' });
    const stored = await db.query<{ code: string; source: string; robot: string }>(
      `select e.code, e.source, e.robot from tracking_events e join shipments s on s.id = e.shipment_id where s.tracking_number = $1 order by e.occurred_at`,
      [trackingNumber],
    );
    expect(stored.map((event) => event.code)).toEqual(['CRE', 'DEP', 'HUB', 'TRN', 'ARR', 'RDY']);
    expect(new Set(stored.map((event) => `${event.source}/${event.robot}`))).toEqual(new Set(['portal/relay-portal']));
    expect(await db.query('select requested_by, outcome, status from lookups')).toEqual([{ requested_by: 'agent-12', outcome: 'found', status: 'ready_for_pickup' }]);
    expect(world.fixtures['relay-portal'].stats()).toMatchObject({ loginsSucceeded: 1, codesChecked: 1, parcelSearches: 1 });
  });
});
