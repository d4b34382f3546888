import { afterEach, beforeEach, expect, it } from 'vitest';
import { createStore, type Store } from './store.ts';
import { openTestDatabase, type TestDatabase } from './test-database.ts';

let db: TestDatabase;
let store: Store;
beforeEach(async () => {
  db = await openTestDatabase();
  store = createStore(db);
});
afterEach(async () => db.drop());

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
  // As a sweep does, job after job of sixty: the snapshots, then the verdicts and next checks.
  for (let start = 0; start < numbers.length; start += 60) {
    const checkedAt = new Date('2026-03-10T02:00:00Z');
    const snapshots = numbers.slice(start, start + 60).map((trackingNumber) => ({ trackingNumber, carrier: 'laposte', status: 'in_transit' as const, events: [], isFinal: false, unmappedCodes: [] }));
    const recorded = await store.tracking.recordSnapshots(snapshots, checkedAt);
    const ids = recorded.map(({ shipment }) => shipment.id);
    await store.shipments.recordChecks(ids.map((id) => ({ id, verdict: 'on_time', reasons: [] })), ids.map((id) => ({ id, at: new Date('2026-03-11T02:00:00Z'), checkedAt })), checkedAt);
  }
  const after = await shipmentUpdates();
  expect(after.all - before.all).toBe(1200);
  // The snapshot's 600 writes are HOT (with pages filled to the brim, about one in five was);
  // the verdicts' cannot be, as they change indexed columns.
  expect(after.hot - before.hot).toBeGreaterThanOrEqual(570);
});
