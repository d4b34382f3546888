import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from './database.ts';
import { migrate, readMigrations } from './migrate.ts';
import { openTestDatabase } from './test-database.ts';

describe('migrations', () => {
  let db: (Database & { drop(): Promise<void> }) | undefined;
  afterEach(async () => db?.drop());

  it('are applied once: a second start applies nothing', async () => {
    db = await openTestDatabase();
    const versions = (await readMigrations()).map((migration) => migration.version);
    const recorded = await db.query<{ version: number }>('select version from schema_migrations order by version');
    expect(recorded.map((row) => row.version)).toEqual(versions);
    expect(await migrate(db)).toEqual([]);
  });

  it('keep tracking events append-only', async () => {
    db = await openTestDatabase();
    const now = '2026-01-05T10:00:00Z';
    const [shipment] = await db.query<{ id: number }>(
      `insert into shipments (tracking_number, carrier, created_at, updated_at) values ('6A12345678901', 'laposte', $1, $1) returning id`,
      [now],
    );
    await db.query(
      `insert into tracking_events (shipment_id, event_key, occurred_at, occurred_at_local, code, label, status, source, robot, recorded_at)
       values ($1, 'k1', $2, $3, 'PC1', 'Pris en charge', 'picked_up', 'api', 'laposte', $2)`,
      [shipment?.id, now, now],
    );
    await expect(db.query('delete from tracking_events')).rejects.toThrow(/append-only/);
    await expect(db.query(`update tracking_events set label = 'x'`)).rejects.toThrow(/append-only/);
  });

  it('return dates as plain dates and numbers as numbers on either driver', async () => {
    db = await openTestDatabase();
    const [row] = await db.query(`select date '2026-03-29' as d, 12.50::numeric(12,2) as n, 9007199254740::bigint as b`);
    expect(row).toEqual({ d: '2026-03-29', n: 12.5, b: 9007199254740 });
  });
});
