import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scan } from '../../fixtures/rules/testing.ts';
import type { Snapshot } from '../domain/snapshot.ts';
import type { Shipment } from '../domain/shipment.ts';
import { loadShipmentRecord } from './load-shipment-record.ts';
import { createStore, type Store } from './store.ts';
import { openTestDatabase, type TestDatabase } from './test-database.ts';

function snapshot(trackingNumber: string, status: Snapshot['status'], deliveredAt?: string): Snapshot {
  const events = [scan('2026-05-19T08:10:00+02:00', 'picked_up'), ...(deliveredAt ? [scan(deliveredAt, 'delivered')] : [])].reverse();
  return { trackingNumber, carrier: 'laposte', status, events, deliveredAt, isFinal: status === 'delivered', unmappedCodes: [] };
}

describe('loadShipmentRecord', () => {
  let db: TestDatabase;
  let store: Store;
  let original: Shipment;
  beforeEach(async () => {
    db = await openTestDatabase();
    store = createStore(db);
    ({ shipment: original } = await store.tracking.recordSnapshot(snapshot('6A12345678901', 'in_transit'), new Date('2026-05-19T09:00:00Z')));
    for (const [jobId, requestedAt] of [['look-1', '2026-05-20T08:00:00Z'], ['look-2', '2026-05-21T08:00:00Z'], ['look-3', '2026-05-27T08:00:00Z']] as const) {
      await store.lookups.start({ jobId, trackingNumber: original.trackingNumber, carrier: 'laposte', requestedBy: 'agent-7', requestedAt: new Date(requestedAt) });
    }
  });
  afterEach(async () => db.drop());

  it('reads the scans, counts the look-ups up to the time asked as contacts, and finds no reshipment', async () => {
    const record = await loadShipmentRecord(store, original, new Date('2026-05-26T07:00:00Z'));
    expect(record.events.map((event) => event.status)).toEqual(['picked_up']);
    expect(record.contacts).toEqual({ count: 2, firstAt: '2026-05-20T08:00:00.000Z' });
    expect(record.reshipments).toEqual([]);
  });

  it('has no contact and no case before the first look-up', async () => {
    const record = await loadShipmentRecord(store, original, new Date('2026-05-19T12:00:00Z'));
    expect(record.contacts).toEqual({ count: 0 });
  });

  it('reads the reshipments the store links to it (shipments.reshipment_of)', async () => {
    const { shipment: reshipment } = await store.tracking.recordSnapshot(snapshot('6A12345678902', 'delivered', '2026-05-28T10:30:00+02:00'), new Date('2026-05-28T12:00:00Z'));
    await db.query('update shipments set reshipment_of = $1 where id = $2', [original.id, reshipment.id]);

    const record = await loadShipmentRecord(store, original, new Date('2026-05-28T20:00:00Z'));
    expect(record.reshipments).toEqual([{ trackingNumber: '6A12345678902', status: 'delivered', deliveredAt: '2026-05-28T08:30:00.000Z' }]);
  });
});
