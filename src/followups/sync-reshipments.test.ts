import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decisionOf, jobOutcome, startFollowUpWorld, storedShipment } from '../../fixtures/testing/follow-ups.ts';
import { numberFor } from '../../fixtures/laposte/testing.ts';
import { rejectionOf } from '../../fixtures/testing/robot-errors.ts';
import type { TestWorld } from '../testing/test-app.ts';
import { recordOmsAnswer } from './sync-reshipments.ts';

const DAY = 24 * 3_600_000;

describe('syncReshipments', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await startFollowUpWorld();
  });
  afterEach(async () => world.close());

  /** A reshipment follow-up run to its end: the OMS has the replacement order, not shipped yet. */
  async function reshipped() {
    const store = await world.app.store();
    const original = await storedShipment(store, world.clock.now(), { customerEmail: 'lea.dubois@example.com', declaredValue: 59 });
    const { followUp } = await world.app.followUps.propose(original, decisionOf('reshipment'));
    const worker = world.app.startFollowUpWorker(1);
    await jobOutcome(world.app, followUp.id).finally(() => worker.close());
    return { store, original, followUp };
  }

  it('makes the shipped replacement a shipment linked to the original, which the carrier then tracks', async () => {
    const { store, original } = await reshipped();
    expect(await world.app.syncReshipments()).toEqual({ checked: 1, shipped: [], cancelled: 0, failures: [] });

    world.clock.advance(DAY);
    const sync = await world.app.syncReshipments();
    expect(sync).toMatchObject({ checked: 1, cancelled: 0, failures: [] });
    expect(sync.shipped).toEqual([
      expect.objectContaining({
        trackingNumber: numberFor('progresses-to-delivery'),
        carrier: 'laposte',
        orderRef: 'RS-100001',
        reshipmentOf: original.id,
        channel: 'web',
        customerEmail: 'lea.dubois@example.com',
        declaredValue: 59,
        destinationCountry: 'FR',
      }),
    ]);
    expect(await world.app.syncReshipments()).toEqual({ checked: 0, shipped: [], cancelled: 0, failures: [] });
    expect(world.fixtures.oms.stats().byRoute['GET /reshipments/:ref']).toBe(2);

    const events = await world.app.queues.queueEvents('laposte', 'agents');
    const job = await world.app.queues.addAgentLookup('laposte', numberFor('progresses-to-delivery'), 'agent-1');
    const workers = world.app.startWorkers(['laposte'], 1);
    try {
      expect((await job.waitUntilFinished(events, 20_000)).results[0]).toMatchObject({ outcome: 'found' });
    } finally {
      await workers.close();
    }
    expect(await store.shipments.find('laposte', numberFor('progresses-to-delivery'))).toMatchObject({ reshipmentOf: original.id, lastCheckedAt: expect.any(String) });
  });

  it('stops at an OMS fault and tries again on the next run', async () => {
    await reshipped();
    world.clock.advance(DAY);
    world.fixtures.oms.setFaults({ fault: 'http-503', times: 1 });
    expect(await world.app.syncReshipments()).toMatchObject({ checked: 1, shipped: [], failures: [{ orderRef: 'RS-100001', code: 'CARRIER_UNAVAILABLE' }] });
    expect((await world.app.syncReshipments()).shipped).toHaveLength(1);
  });

  it('records a cancelled replacement, and refuses a carrier no robot tracks', async () => {
    const { store, followUp } = await reshipped();
    const reshipment = (await store.reshipments.forFollowUp(followUp.id))!;
    const deps = { store, clock: world.clock, isCarrier: (id: string) => id === 'laposte' };
    const refused = await rejectionOf(recordOmsAnswer(deps, reshipment, { orderRef: 'RS-100001', status: 'shipped', carrier: 'Colissimo', trackingNumber: '6A00000000000' }));
    expect(refused).toMatchObject({ code: 'CARRIER_BAD_PAYLOAD', message: expect.stringMatching(/carrier "Colissimo", which no robot tracks/) });
    expect(await recordOmsAnswer(deps, reshipment, { orderRef: 'RS-100001', status: 'cancelled' })).toBe('cancelled');
    expect(await store.reshipments.forFollowUp(followUp.id)).toMatchObject({ state: 'cancelled', omsStatus: 'cancelled' });
    expect(await world.app.syncReshipments()).toMatchObject({ checked: 0 });
  });
});
