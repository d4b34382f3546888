import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from './migrate.ts';
import { FIRST_DUE } from './shipment-repository.ts';
import { type Store, createStore } from './store.ts';
import { type TestDatabase, openTestDatabase } from './test-database.ts';

describe('SweepRepository', () => {
  let db: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    db = await openTestDatabase();
    store = createStore(db);
  });
  afterEach(async () => db.drop());

  const at = (hour: number) => new Date(Date.UTC(2026, 2, 10, hour));
  const counts = { enqueued: 12, checked: 10, byStatus: { in_transit: 9, not_found: 1 }, notFound: 1, rejected: 1, failed: 1, failures: [{ trackingNumber: '6A1', carrier: 'laposte', reason: 'TIMEOUT' }] };

  it('records a sweep, its progress and its end, with the parcels left in held queues; lists newest first', async () => {
    await store.sweeps.create({ id: 'night', trigger: 'scheduled', tick: at(1), startedAt: at(1) });
    await store.sweeps.create({ id: 'morning', trigger: 'manual', startedAt: at(9) });
    const leftWaiting = [{ carrier: 'fedex', parcels: 60, until: at(24).toISOString() }];
    await store.sweeps.save('night', { counts, eventCursors: { laposte: '17-0' }, countsExact: true }, { state: 'done', at: at(2), leftWaiting });

    const [morning, night] = await store.sweeps.list();
    expect(morning).toMatchObject({ id: 'morning', state: 'running', runs: 1, checked: 0, tick: undefined, finishedAt: undefined, leftWaiting: [] });
    expect(night).toEqual({ id: 'night', trigger: 'scheduled', tick: at(1).toISOString(), startedAt: at(1).toISOString(), finishedAt: at(2).toISOString(), state: 'done', runs: 1, batches: 0, eventCursors: { laposte: '17-0' }, countsExact: true, leftWaiting, ...counts });
    // A checkpoint (no end) keeps what the end recorded.
    await store.sweeps.save('night', { counts, eventCursors: { laposte: '18-0' }, countsExact: true });
    expect((await store.sweeps.get('night'))?.leftWaiting).toEqual(leftWaiting);
  });

  it('hands out batch numbers once, across runs', async () => {
    await store.sweeps.create({ id: 's', trigger: 'manual', startedAt: at(1) });
    expect(await store.sweeps.reserveBatches('s', 3)).toBe(0);
    expect(await store.sweeps.reserveBatches('s', 2)).toBe(3);
    expect((await store.sweeps.get('s'))?.batches).toBe(5);
  });

  it('marks running sweeps of stopped processes interrupted, and resumes one once', async () => {
    await store.sweeps.create({ id: 'killed', trigger: 'scheduled', startedAt: at(1) });
    await store.sweeps.create({ id: 'alive', trigger: 'manual', startedAt: at(2) });
    await store.sweeps.interruptOrphans('alive');
    expect((await store.sweeps.list()).map((sweep) => [sweep.id, sweep.state])).toEqual([['alive', 'running'], ['killed', 'interrupted']]);
    expect((await store.sweeps.latestInterrupted('manual'))?.id).toBeUndefined();
    expect((await store.sweeps.latestInterrupted())?.id).toBe('killed');

    expect(await store.sweeps.resume('killed')).toMatchObject({ state: 'running', runs: 2 });
    expect(await store.sweeps.resume('killed')).toBeUndefined();
  });

  it('migration 0003 leaves shipments final before it out of sweeps, and makes the others due', async () => {
    // Back to the store as it was before 0003, with one final and one active shipment.
    await db.exec(`drop table sweeps; alter table shipments drop column next_check_at, drop column final_at; delete from schema_migrations where version = 3`);
    await db.query(
      `insert into shipments (tracking_number, carrier, is_final, delivered_at, created_at, updated_at)
       values ('6A00000000001', 'laposte', true, $1, $1, $1), ('6A00000000002', 'laposte', false, null, $1, $1)`,
      [at(1)],
    );
    expect(await migrate(db)).toEqual([3]);
    const due = await store.shipments.listDue(at(12), new Date(0), FIRST_DUE, 10);
    expect(due.targets.map((target) => target.trackingNumber)).toEqual(['6A00000000002']);
    expect((await store.shipments.find('laposte', '6A00000000001'))?.finalAt).toBe(at(1).toISOString());
  });
});
