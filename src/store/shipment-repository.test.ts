import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShipmentInput } from '../domain/shipment.ts';
import type { Database } from './database.ts';
import { FIRST_DUE, ShipmentRepository } from './shipment-repository.ts';
import { openTestDatabase } from './test-database.ts';

const order: ShipmentInput = {
  trackingNumber: '6A12345678901',
  carrier: 'laposte',
  orderRef: 'CMD-1001',
  channel: 'web',
  customerEmail: 'camille.martin@example.com',
  customerLang: 'fr',
  declaredValue: 49.9,
  currency: 'EUR',
  destinationCountry: 'FR',
  promisedFrom: '2026-03-12',
  promisedTo: '2026-03-12',
};

describe('ShipmentRepository', () => {
  let db: Database & { drop(): Promise<void> };
  let shipments: ShipmentRepository;
  beforeEach(async () => {
    db = await openTestDatabase();
    shipments = new ShipmentRepository(db);
  });
  afterEach(async () => db.drop());

  it('inserts new shipments and updates known ones by carrier and number', async () => {
    const now = new Date('2026-03-09T10:00:00Z');
    expect(await shipments.upsertMany([order], now)).toEqual({ inserted: 1, updated: 0 });
    expect(await shipments.upsertMany([{ ...order, promisedTo: '2026-03-13' }], now)).toEqual({ inserted: 0, updated: 1 });
    expect(await shipments.find('laposte', '6A12345678901')).toMatchObject({ orderRef: 'CMD-1001', declaredValue: 49.9, promisedFrom: '2026-03-12', promisedTo: '2026-03-13', status: 'unknown' });
  });

  it('keeps stored order data when a re-import leaves a field blank', async () => {
    const now = new Date('2026-03-09T10:00:00Z');
    await shipments.upsertMany([order], now);
    await shipments.upsertMany([{ trackingNumber: order.trackingNumber, carrier: 'laposte', customerLang: 'fr', destinationCountry: 'FR' }], now);
    expect(await shipments.find('laposte', '6A12345678901')).toMatchObject({ orderRef: 'CMD-1001', customerEmail: 'camille.martin@example.com', declaredValue: 49.9 });
  });

  it('keeps the stored language and country when a re-import leaves them out, and defaults them for a new shipment', async () => {
    const now = new Date('2026-03-09T10:00:00Z');
    const { customerLang, destinationCountry, ...withoutLangOrCountry } = order;
    await shipments.upsertMany([{ ...order, customerLang: 'en', destinationCountry: 'BE' }], now);
    await shipments.upsertMany([withoutLangOrCountry, { ...withoutLangOrCountry, trackingNumber: '6A12345678999' }], now);
    expect(await shipments.find('laposte', order.trackingNumber)).toMatchObject({ customerLang: 'en', destinationCountry: 'BE' });
    expect(await shipments.find('laposte', '6A12345678999')).toMatchObject({ customerLang, destinationCountry });
  });

  describe('due shipments', () => {
    const created = new Date('2026-03-09T10:00:00Z');
    const cutoff = new Date('2026-03-10T02:00:00Z');
    const many = Array.from({ length: 25 }, (_, index) => ({ ...order, trackingNumber: `6A${String(index).padStart(11, '0')}` }));

    async function allDue(createdAfter = new Date('2025-12-01T00:00:00Z'), pageSize = 10): Promise<string[]> {
      const seen: string[] = [];
      let cursor = FIRST_DUE;
      for (;;) {
        const page = await shipments.listDue(cutoff, createdAfter, cursor, pageSize);
        if (page.targets.length === 0) return seen;
        seen.push(...page.targets.map((target) => target.trackingNumber));
        cursor = page.next;
      }
    }

    it('are the never-checked ones and the ones whose time has come, not later, never-again or retired ones', async () => {
      await shipments.upsertMany(many, created);
      const stored = await shipments.list();
      const at = (index: number) => stored[index]?.id ?? 0;
      await shipments.scheduleChecks([
        { id: at(0), at: new Date('2026-03-10T01:59:59Z'), checkedAt: created },
        { id: at(1), at: cutoff, checkedAt: created },
        { id: at(2), at: new Date('2026-03-10T02:00:01Z'), checkedAt: created },
        { id: at(3), at: null, checkedAt: created },
      ]);
      const due = await allDue();
      expect(due).toHaveLength(23);
      expect(due).not.toContain(many[2]?.trackingNumber);
      expect(due).not.toContain(many[3]?.trackingNumber);
      // Never checked first (due since forever), then by due time.
      expect(due.slice(-2)).toEqual([many[0]?.trackingNumber, many[1]?.trackingNumber]);
      expect(await allDue(new Date('2026-03-09T10:00:00Z'))).toEqual([]);
    });

    it('page on where the last page ended: a shipment checked meanwhile is not met again', async () => {
      await shipments.upsertMany(many, created);
      const first = await shipments.listDue(cutoff, new Date(0), FIRST_DUE, 10);
      await shipments.scheduleChecks(first.targets.map((target) => ({ id: target.id, at: new Date('2026-03-10T08:00:00Z'), checkedAt: cutoff })));
      const rest = await allDue(new Date(0), 100);
      expect(rest).toHaveLength(15);
      expect(new Set([...first.targets.map((target) => target.trackingNumber), ...rest]).size).toBe(25);
    });

    it('remember when a shipment was first seen final', async () => {
      await shipments.upsertMany([order], created);
      const [stored] = await shipments.list();
      const id = stored?.id ?? 0;
      await db.query('update shipments set is_final = true where id = $1', [id]);
      await shipments.scheduleChecks([{ id, at: new Date('2026-03-11T00:00:00Z'), checkedAt: new Date('2026-03-10T02:05:00Z') }]);
      await shipments.scheduleChecks([{ id, at: null, checkedAt: new Date('2026-03-11T02:05:00Z') }]);
      expect((await shipments.find('laposte', order.trackingNumber))?.finalAt).toBe('2026-03-10T02:05:00.000Z');
      expect(await shipments.findMany([{ carrier: 'laposte', trackingNumber: order.trackingNumber }, { carrier: 'laposte', trackingNumber: '6A00000000000' }])).toEqual([expect.objectContaining({ id })]);
    });
  });
});

// PGlite has one connection: its transactions run one after the other, so only a server can race.
describe.skipIf(!process.env.DATABASE_URL)('ShipmentRepository.upsertMany, two imports of the same new shipment at once (DATABASE_URL)', () => {
  let db: Database & { drop(): Promise<void> };
  beforeEach(async () => {
    db = await openTestDatabase();
  });
  afterEach(async () => db.drop());

  it('keeps what the first file gave when the second, waiting on it, leaves those fields blank', async () => {
    const full: ShipmentInput = { ...order, customerLang: 'en', destinationCountry: 'DE', currency: 'USD', customerAddress: { name: 'Jonas Weber', line1: 'Hauptstraße 5', postcode: '10115', city: 'Berlin', country: 'DE' } };
    const blank = { trackingNumber: order.trackingNumber, carrier: order.carrier };
    let firstWritten!: (backend: number) => void;
    const written = new Promise<number>((resolve) => (firstWritten = resolve));
    let commitFirst!: () => void;
    const commit = new Promise<void>((resolve) => (commitFirst = resolve));
    // The first import has created the shipment and not committed yet when the second one writes it.
    const first = db.transaction(async (tx) => {
      const counts = await new ShipmentRepository(tx).upsertMany([full], new Date('2026-03-09T10:00:00Z'));
      const [backend] = await tx.query<{ pid: number }>('select pg_backend_pid() as pid');
      firstWritten(backend?.pid ?? 0);
      await commit;
      return counts;
    });
    const firstBackend = await written;
    const second = db.transaction((tx) => new ShipmentRepository(tx).upsertMany([blank], new Date('2026-03-09T10:00:01Z')));
    try {
      await waitUntilBlockedBy(db, firstBackend);
    } finally {
      commitFirst();
    }
    expect(await first).toEqual({ inserted: 1, updated: 0 });
    expect(await second).toEqual({ inserted: 0, updated: 1 });
    const stored = await new ShipmentRepository(db).find(order.carrier, order.trackingNumber);
    const { trackingNumber, carrier, ...given } = full;
    expect(stored).toMatchObject(given);
  });
});

/** Waits until a statement of another connection waits on a lock this backend holds. */
async function waitUntilBlockedBy(db: Database, backend: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const [row] = await db.query<{ blocked: number }>('select count(*)::int as blocked from pg_stat_activity where $1 = any(pg_blocking_pids(pid))', [backend]);
    if (row && row.blocked > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no statement waited on backend ${backend} within 5 s`);
}
