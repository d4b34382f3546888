import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../domain/snapshot.ts';
import type { TrackingEvent } from '../domain/tracking-event.ts';
import { NUMBERS_PER_JOB } from '../jobs/job-size.ts';
import type { Database } from './database.ts';
import { type Store, createStore } from './store.ts';
import { openTestDatabase } from './test-database.ts';

const event = (at: string, code: string, status: TrackingEvent['status'], label = `label ${code}`): TrackingEvent => ({ at, code, label, status, source: 'api', robot: 'laposte' });

const inTransit: Snapshot = {
  trackingNumber: '6A12345678901',
  carrier: 'laposte',
  product: 'colissimo',
  status: 'in_transit',
  events: [event('2026-03-10T08:00:00+01:00', 'ET1', 'in_transit'), event('2026-03-09T17:00:00+01:00', 'PC1', 'picked_up')],
  estimatedDelivery: { from: '2026-03-12T00:00:00+01:00', to: '2026-03-12T23:59:59+01:00' },
  isFinal: false,
  unmappedCodes: [],
};

const delivered: Snapshot = {
  ...inTransit,
  status: 'delivered',
  isFinal: true,
  deliveredAt: '2026-03-11T11:00:00+01:00',
  events: [event('2026-03-11T11:00:00+01:00', 'DI1', 'delivered'), ...inTransit.events],
};

describe('TrackingRepository', () => {
  let db: Database & { drop(): Promise<void> };
  let store: Store;
  beforeEach(async () => {
    db = await openTestDatabase();
    store = createStore(db);
  });
  afterEach(async () => db.drop());

  it('creates the shipment of a parcel read for the first time, with its events', async () => {
    const { shipment, newEvents } = await store.tracking.recordSnapshot(inTransit, new Date('2026-03-10T09:00:00Z'));
    expect(newEvents).toBe(2);
    expect(shipment).toMatchObject({ trackingNumber: '6A12345678901', carrier: 'laposte', status: 'in_transit', product: 'colissimo', isFinal: false, lastCheckedAt: '2026-03-10T09:00:00.000Z' });
    expect(new Date(shipment.estimatedFrom ?? '').toISOString()).toBe('2026-03-11T23:00:00.000Z');
  });

  it('stores an event read twice once, and keeps the offset the carrier wrote', async () => {
    await store.tracking.recordSnapshot(inTransit, new Date('2026-03-10T09:00:00Z'));
    const { shipment, newEvents } = await store.tracking.recordSnapshot(delivered, new Date('2026-03-11T12:00:00Z'));
    expect(newEvents).toBe(1);
    const events = await store.tracking.events(shipment.id);
    expect(events.map((e) => e.code)).toEqual(['DI1', 'ET1', 'PC1']);
    expect(events[0]?.at).toBe('2026-03-11T11:00:00+01:00');
    expect(shipment).toMatchObject({ status: 'delivered', isFinal: true });
  });

  it('flags a delivered parcel read back in transit instead of moving it backwards', async () => {
    await store.tracking.recordSnapshot(delivered, new Date('2026-03-11T12:00:00Z'));
    const { shipment } = await store.tracking.recordSnapshot(inTransit, new Date('2026-03-11T13:00:00Z'));
    expect(shipment).toMatchObject({ status: 'delivered', anomaly: 'status_regressed', isFinal: true });
  });

  it('counts codes no status map knows', async () => {
    const odd = { ...inTransit, unmappedCodes: [{ code: 'XX9', label: 'Nouveau code' }] };
    await store.tracking.recordSnapshot(odd, new Date('2026-03-10T09:00:00Z'));
    await store.tracking.recordSnapshot(odd, new Date('2026-03-10T10:00:00Z'));
    expect(await store.unmappedCodes.list()).toEqual([
      { carrier: 'laposte', code: 'XX9', label: 'Nouveau code', count: 2, firstSeen: '2026-03-10T09:00:00.000Z', lastSeen: '2026-03-10T10:00:00.000Z' },
    ]);
    expect(await store.unmappedCodes.list('dhl')).toEqual([]);
  });

  it('stores a whole batch in one go: each parcel state and new events, unknown codes counted per parcel, one answer per snapshot', async () => {
    await store.tracking.recordSnapshot(delivered, new Date('2026-03-11T12:00:00Z'));
    const other: Snapshot = { ...inTransit, trackingNumber: '6A12345678902', unmappedCodes: [{ code: 'XX9', label: 'Nouveau code' }] };
    const third: Snapshot = { ...inTransit, trackingNumber: '6A12345678903', unmappedCodes: [{ code: 'XX9', label: 'Nouveau code' }] };
    const recorded = await store.tracking.recordSnapshots([inTransit, other, third, { ...other }], new Date('2026-03-11T13:00:00Z'));
    expect(recorded.map(({ shipment }) => [shipment.trackingNumber, shipment.status, shipment.anomaly ?? null])).toEqual([
      ['6A12345678901', 'delivered', 'status_regressed'],
      ['6A12345678902', 'in_transit', null],
      ['6A12345678903', 'in_transit', null],
      ['6A12345678902', 'in_transit', null],
    ]);
    // The first parcel's events were all known; a parcel read twice in a batch is stored from its last read.
    expect(recorded.map(({ newEvents }) => newEvents)).toEqual([0, 0, 2, 2]);
    expect(await store.unmappedCodes.list()).toEqual([expect.objectContaining({ code: 'XX9', count: 2 })]);
  });

  /** Updates of shipments so far: all of them, and those that touched no index (HOT). */
  async function shipmentUpdates(): Promise<{ all: number; hot: number }> {
    // Statistics reach the view once flushed, at the end of the next statement.
    await db.query('select pg_stat_force_next_flush()');
    const [row] = await db.query<{ all: number; hot: number }>(
      `select n_tup_upd::integer as all, n_tup_hot_upd::integer as hot from pg_stat_user_tables where relname = 'shipments' and schemaname = current_schema()`,
    );
    return row!;
  }

  it('stores what robots read in the pages of shipments as an import filled them, touching no index (HOT updates)', async () => {
    const numbers = Array.from({ length: 600 }, (_, index) => `6A${String(index).padStart(11, '0')}`);
    await store.shipments.upsertMany(
      numbers.map((trackingNumber, index) => ({ trackingNumber, carrier: 'laposte', orderRef: `ORDER-${index}`, customerEmail: `customer${index}@example.com`, promisedTo: '2026-03-12' })),
      new Date('2026-03-09T08:00:00Z'),
    );
    const before = await shipmentUpdates();
    // As a sweep does, job after job (NUMBERS_PER_JOB numbers each): the snapshots, then the verdicts and next checks.
    for (let start = 0; start < numbers.length; start += NUMBERS_PER_JOB) {
      const checkedAt = new Date('2026-03-10T02:00:00Z');
      const snapshots = numbers.slice(start, start + NUMBERS_PER_JOB).map((trackingNumber) => ({ trackingNumber, carrier: 'laposte', status: 'in_transit' as const, events: [], isFinal: false, unmappedCodes: [] }));
      const recorded = await store.tracking.recordSnapshots(snapshots, checkedAt);
      const ids = recorded.map(({ shipment }) => shipment.id);
      await store.shipments.recordChecks(ids.map((id) => ({ id, verdict: 'on_time', reasons: [] })), ids.map((id) => ({ id, at: new Date('2026-03-11T02:00:00Z'), checkedAt })), checkedAt);
    }
    const after = await shipmentUpdates();
    expect(after.all - before.all).toBe(1200);
    // Most of the snapshots' 600 writes are HOT: nearly all on a quiet server, about nine in ten on
    // one busy with other sessions, whose open transactions keep the old row versions from being
    // pruned (with pages filled to the brim, fewer than one in four). The verdicts' writes cannot
    // be HOT: they change indexed columns.
    expect(after.hot - before.hot).toBeGreaterThanOrEqual(450);
  });
});
