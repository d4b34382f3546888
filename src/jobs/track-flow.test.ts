import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { numberFor } from '../../fixtures/laposte/testing.ts';
import { type TestWorld, startTestWorld } from '../testing/test-app.ts';
import { startSweep } from './sweep-session.ts';

/** One parcel, or a sweep, through BullMQ on real Redis, the La Poste robot, the simulator and the store. */
describe('track jobs end to end', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await startTestWorld();
  });
  afterEach(async () => world.close());

  async function lookUp(trackingNumber: string) {
    const { app } = world;
    const events = await app.queues.queueEvents('laposte', 'agents');
    const job = await app.queues.addAgentLookup('laposte', trackingNumber, 'agent-42');
    const workers = app.startWorkers(['laposte'], 2);
    try {
      return { job, result: await job.waitUntilFinished(events, 20_000) };
    } finally {
      await workers.close();
    }
  }

  it("answers an agent's look-up with status, timeline, estimate and a suggested answer, and records it", async () => {
    const { result } = await lookUp(numberFor('in-transit'));
    const [entry] = result.results;
    expect(entry).toMatchObject({ outcome: 'found', status: 'in_transit', carrier: 'laposte' });
    const answer = entry?.answer;
    expect(answer?.events.map((event) => event.code)).toEqual(['ET1', 'ET1', 'PC1', 'DR1']);
    // The scenario's estimate is tomorrow, the whole day, Paris time.
    expect(answer?.estimatedDelivery).toEqual({ from: '2026-03-10T23:00:00.000Z', to: '2026-03-11T22:59:59.000Z' });
    expect(answer?.answer.fr).toContain("en cours d'acheminement");
    expect(answer?.answer.en).toContain('on its way');
    const lookups = await world.db.query('select requested_by, outcome, status from lookups');
    expect(lookups).toEqual([{ requested_by: 'agent-42', outcome: 'found', status: 'in_transit' }]);
    const stored = await world.db.query('select count(*)::int as n from tracking_events');
    expect(stored[0]?.n).toBe(4);
  });

  it('reads a delivered parcel as delivered, with its delivery time', async () => {
    const { result } = await lookUp(numberFor('delivered'));
    const answer = result.results[0]?.answer;
    expect(answer?.status).toBe('delivered');
    expect(answer?.deliveredAt).toBe(new Date(answer?.events[0]?.at ?? '').toISOString());
  });

  it('reports a number La Poste does not know as not found', async () => {
    const { result } = await lookUp('6A99999999999');
    expect(result.results[0]).toMatchObject({ outcome: 'not_found', trackingNumber: '6A99999999999' });
  });

  it('sweeps every shipment due in batches of 10 numbers per call', async () => {
    const { app, fixtures } = world;
    const store = await app.store();
    const scenarios = ['in-transit', 'delivered', 'held-in-customs', 'problem', 'stale', 'out-for-delivery', 'awaiting-pickup', 'returned', 'label-created', 'picked-up', 'undeliverable', 'unknown-code'];
    await store.shipments.upsertMany(scenarios.map((scenario) => ({ trackingNumber: numberFor(scenario), carrier: 'laposte', customerLang: 'fr' as const, destinationCountry: 'FR' })), app.clock.now());
    const workers = app.startWorkers(['laposte'], 4);
    try {
      const summary = await startSweep(app, { trigger: 'manual' });
      expect(summary).toMatchObject({ checked: 12, failed: 0, notFound: 0 });
      expect(summary.byStatus).toMatchObject({ in_transit: 2, delivered: 1, on_hold: 1, delivery_delayed: 1, unknown: 1 });
      expect(fixtures.laposte.stats().totalCalls).toBe(2);
      const unmapped = await world.db.query('select code from unmapped_codes');
      expect(unmapped).toEqual([{ code: 'XX9' }]);
    } finally {
      await workers.close();
    }
  });

  it('answers an agent look-up in its own lane while sweep batches wait in theirs', async () => {
    const { app } = world;
    const sweepBatches = Array.from({ length: 40 }, () => ({ carrier: 'laposte', trackingNumbers: [numberFor('in-transit')] }));
    await app.queues.addSweepBatches('waiting', sweepBatches, 0);
    const events = await app.queues.queueEvents('laposte', 'agents');
    const agentJob = await app.queues.addAgentLookup('laposte', numberFor('delivered'), 'agent-7');
    const workers = app.startWorkers(['laposte'], 1);
    try {
      await agentJob.waitUntilFinished(events, 20_000);
      // One sweep job at a time beside it: the look-up took one job's turn, not forty.
      expect(await app.queues.queue('laposte', 'background').getCompletedCount()).toBeLessThanOrEqual(5);
      expect(await app.queues.queue('laposte', 'agents').getCompletedCount()).toBe(1);
    } finally {
      await workers.close();
    }
  });
});
