import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database.ts';
import { loadShipmentRecords } from './load-shipment-record.ts';
import { createStore, type Store } from './store.ts';
import { openTestDatabase, type TestDatabase } from './test-database.ts';

/**
 * A sweep's per-batch statements on events, look-ups and follow-ups (tables that grow during the
 * sweep) go through their indexes even when the planner has no statistics of them yet (rows
 * stored minutes ago: an import, a first sweep). A plan reading a whole table for each batch makes
 * a sweep slow down as the store grows.
 */
describe('batch statements on a store without statistics', () => {
  const SHIPMENTS = 10_000;
  // As many as a sweep had made when the plans that read all of them were seen (a hash join over the whole table).
  const FOLLOW_UPS = 2_000;
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase();
    const now = '2026-05-20T08:00:00Z';
    await db.exec(`
      insert into shipments (tracking_number, carrier, status, created_at, updated_at)
        select '6A' || lpad(n::text, 11, '0'), 'laposte', 'in_transit', '${now}', '${now}' from generate_series(1, ${SHIPMENTS}) n;
      insert into tracking_events (shipment_id, event_key, occurred_at, occurred_at_local, code, label, status, source, robot, recorded_at)
        select s.id, 'scan-' || e, timestamptz '${now}' - e * interval '1 hour', '2026-05-20T10:00:00+02:00', 'PCH', 'Pris en charge', 'in_transit', 'carrier', 'laposte', '${now}'
        from shipments s cross join generate_series(1, 3) e;
      insert into lookups (job_id, tracking_number, carrier, requested_by, requested_at)
        select 'job-' || s.id, s.tracking_number, s.carrier, 'agent-7', '${now}' from shipments s;
      insert into followups (id, shipment_id, kind, state, rule_id, reason, due_at, approval_required, created_at, updated_at)
        select 'fu-' || s.id, s.id, 'customer_email', 'proposed', 'late', 'Late parcel', '${now}', false, '${now}', '${now}' from shipments s where s.id <= ${FOLLOW_UPS};`);
  });
  afterAll(async () => db.drop());

  /** The plans of the statements `work` runs through the store, as EXPLAIN (FORMAT JSON) gives them. */
  async function plansOf(work: (store: Store) => Promise<unknown>): Promise<string[]> {
    const statements: [string, readonly unknown[] | undefined][] = [];
    const recording: Database = { ...db, query: (sql, params) => (statements.push([sql, params]), db.query(sql, params)) };
    await work(createStore(recording));
    return Promise.all(statements.map(async ([sql, params]) => JSON.stringify(await db.query(`explain (format json) ${sql}`, params))));
  }

  const batch = async (store: Store) => (await store.shipments.list(SHIPMENTS)).slice(5000, 5030);
  const sequentialScans = (plans: string[]) => plans.flatMap((plan) => [...plan.matchAll(/"Node Type":"Seq Scan"[^}]*?"Relation Name":"(\w+)"/g)].map((match) => match[1]));

  it('reads a batch\'s timelines, contacts and reshipments for the rules', async () => {
    const shipments = await batch(createStore(db));
    const plans = await plansOf((store) => loadShipmentRecords(store, shipments, new Date('2026-05-21T00:00:00Z')));
    expect(plans).toHaveLength(1);
    expect(sequentialScans(plans)).toEqual([]);
  });

  it('proposes a batch\'s follow-ups, reads those of its shipments and notes those left waiting', async () => {
    const now = new Date('2026-05-21T00:00:00Z');
    const proposal = { proposed: { actor: 'rule:late' as const, event: 'proposed' }, policy: { actor: 'system' as const, event: 'no_approval_needed' } };
    const plans = await plansOf(async (store) => {
      await store.followUps.createMany(
        [1000, 1001, 5000].map((shipmentId) => ({
          followUp: { id: `fu-${shipmentId}`, shipmentId, kind: 'customer_email' as const, state: 'proposed' as const, ruleId: 'late', params: {}, reason: 'Late parcel', dueAt: now.toISOString(), approvalRequired: false },
          audit: proposal,
        })),
        now,
      );
      await store.followUps.ofShipments([1000, 1001, 5000]);
      await store.followUps.noteMany([{ id: 'fu-1000', record: { actor: 'system', event: 'waiting_for' } }], now);
    });
    expect(plans).toHaveLength(3);
    expect(sequentialScans(plans)).toEqual([]);
  });

  it('reads a batch\'s timelines for agents\' answers', async () => {
    const shipments = await batch(createStore(db));
    expect(sequentialScans(await plansOf((store) => store.tracking.eventsOf(shipments.map((shipment) => shipment.id))))).toEqual([]);
  });
});
