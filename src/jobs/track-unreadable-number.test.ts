import { afterEach, describe, expect, it } from 'vitest';
import type { AnswerFault } from '../../fixtures/sim-kit/faults.ts';
import { testNumberFinder } from '../../fixtures/testing/test-parcels.ts';
import { type TestWorld, startTestWorld } from '../testing/test-app.ts';
import { startSweep } from './sweep-session.ts';

/**
 * One parcel whose answer cannot be read, among others answered in the same carrier call: that
 * parcel alone fails, with an exception naming it and its own part of the answer as evidence; the
 * others are stored as checked. Through a real sweep, BullMQ, the robot and its simulator.
 */
const CARRIERS = [
  {
    id: 'fedex',
    spoilt: '799064771990',
    scenario: 'in-transit',
    addSpoilt: (world: TestWorld, trackingNumber: string, scenario: string, answerFault: AnswerFault) => world.fixtures.fedex.addParcel({ trackingNumber, scenario, answerFault }),
  },
  {
    id: 'laposte',
    spoilt: '6A21000009990',
    // A scenario whose estimate has hours, so that they can be swapped.
    scenario: 'chronopost-in-transit',
    addSpoilt: (world: TestWorld, trackingNumber: string, scenario: string, answerFault: AnswerFault) => world.fixtures.laposte.addParcel(trackingNumber, scenario, { answerFault }),
  },
] as const;

const GOOD_SCENARIOS = ['delivered', 'out-for-delivery', 'in-transit'];

describe.each(CARRIERS)('$id: one number of a call whose answer cannot be read', ({ id, spoilt, scenario, addSpoilt }) => {
  const numberFor = testNumberFinder(id);
  let world: TestWorld;
  afterEach(async () => world.close());

  it.each<[AnswerFault, RegExp]>([
    ['estimate-window-reversed', /the estimated delivery ends before it starts/],
    ['wrong-shape', /at .*(scanEvents|event|timeline)/],
  ])('%s: fails that number alone, the others are recorded', async (answerFault, detail) => {
    world = await startTestWorld({ env: { [`${id.toUpperCase()}_RATE_LIMIT`]: 'off' } });
    addSpoilt(world, spoilt, scenario, answerFault);
    const { app } = world;
    const store = await app.store();
    const good = GOOD_SCENARIOS.map(numberFor);
    const numbers = [good[0]!, spoilt, ...good.slice(1)];
    await store.shipments.upsertMany(numbers.map((trackingNumber) => ({ trackingNumber, carrier: id, customerLang: 'fr' as const, destinationCountry: 'FR' })), app.clock.now());
    const workers = app.startWorkers([id], 1);
    try {
      const summary = await startSweep(app, { trigger: 'manual' });
      expect(world.fixtures[id].stats().totalCalls).toBe(1);
      expect(summary).toMatchObject({ checked: 3, failed: 1, rejected: 0 });
      expect(summary.failures).toEqual([{ trackingNumber: spoilt, carrier: id, reason: expect.stringContaining(`CARRIER_BAD_PAYLOAD: `) }]);
    } finally {
      await workers.close();
    }

    const exceptions = await world.db.query<{ tracking_number: string; code: string; message: string; evidence: { body?: string } }>('select tracking_number, code, message, evidence from exceptions');
    expect(exceptions).toHaveLength(1);
    const [exception] = exceptions;
    expect(exception).toMatchObject({ tracking_number: spoilt, code: 'CARRIER_BAD_PAYLOAD' });
    expect(exception?.message).toContain(`for ${spoilt}, `);
    expect(exception?.message).toMatch(detail);
    // The evidence is the spoilt number's part of the answer, not the other parcels'.
    expect(exception?.evidence.body).toContain(spoilt);
    for (const other of good) expect(exception?.evidence.body).not.toContain(other);

    const shipments = await world.db.query<{ tracking_number: string; checked: boolean; events: number }>(
      `select s.tracking_number, s.last_checked_at is not null as checked, (select count(*)::int from tracking_events e where e.shipment_id = s.id) as events
       from shipments s order by s.tracking_number`,
    );
    for (const row of shipments) {
      if (row.tracking_number === spoilt) expect(row, spoilt).toMatchObject({ checked: false, events: 0 });
      else expect(row, row.tracking_number).toMatchObject({ checked: true, events: expect.any(Number) });
    }
    expect(shipments.filter((row) => row.events > 0)).toHaveLength(3);
  });
});
