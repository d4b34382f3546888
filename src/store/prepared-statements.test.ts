import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from './database.ts';
import { openPostgresDatabase } from './postgres-database.ts';
import { MAX_NAMED_STATEMENTS, StatementNames } from './statement-names.ts';
import { dropSchema } from './test-database.ts';

const databaseUrl = process.env.DATABASE_URL || undefined;

describe('statement names', () => {
  it('one name per text, the same each time; texts past the limit run unprepared', () => {
    const names = new StatementNames();
    const first = names.nameOf('select 1');
    expect(first).toMatch(/^parcelbot_[0-9a-f]{20}$/);
    expect(names.nameOf('select 1')).toBe(first);
    expect(names.nameOf('select 2')).not.toBe(first);
    for (let index = 3; index <= MAX_NAMED_STATEMENTS; index++) names.nameOf(`select ${index}`);
    expect(names.nameOf(`select ${MAX_NAMED_STATEMENTS + 1}`)).toBeUndefined();
    expect(names.nameOf('select 1')).toBe(first);
  });

  it('a renewed text gets a name of its own, kept from then on', () => {
    const names = new StatementNames();
    const first = names.nameOf('select * from t');
    const renewed = names.renew('select * from t');
    expect(renewed).not.toBe(first);
    expect(names.nameOf('select * from t')).toBe(renewed);
  });
});

describe.skipIf(!databaseUrl)('prepared statements on PostgreSQL (DATABASE_URL)', () => {
  const schema = `prepared_${randomBytes(4).toString('hex')}`;
  const opened: Database[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close()));
    await dropSchema(databaseUrl!, schema);
  });

  /** One connection, so that pg_prepared_statements (one session's) shows the statements run. */
  async function open(preparedStatements: boolean): Promise<Database> {
    const db = await openPostgresDatabase(databaseUrl!, schema, { connections: 1, preparedStatements });
    opened.push(db);
    return db;
  }

  const runsOf = async (db: Database, text: string) =>
    (await db.query<{ runs: number }>('select (generic_plans + custom_plans)::integer as runs from pg_prepared_statements where statement = $1', [text])).map((row) => row.runs);

  it('a statement run three times is parsed once and executed three times', async () => {
    const db = await open(true);
    const text = 'select $1::integer + 1 as next';
    for (const value of [1, 2, 3]) expect(await db.query(text, [value])).toEqual([{ next: value + 1 }]);
    expect(await runsOf(db, text)).toEqual([3]);
  });

  it('DATABASE_PREPARED_STATEMENTS=off prepares none (for a pooler that cannot keep them)', async () => {
    const db = await open(false);
    const text = 'select $1::integer * 2 as twice';
    expect(await db.query(text, [4])).toEqual([{ twice: 8 }]);
    expect(await runsOf(db, text)).toEqual([]);
  });

  it('a table changed by another process since the statement was prepared: the statement runs again, prepared anew', async () => {
    const db = await open(true);
    const other = await open(true);
    await other.exec('create table parcels_seen (id integer); insert into parcels_seen values (1)');
    const text = 'select * from parcels_seen';
    expect(await db.query(text)).toEqual([{ id: 1 }]);
    await other.exec(`alter table parcels_seen add column carrier text not null default 'dhl'`);
    expect(await db.query(text)).toEqual([{ id: 1, carrier: 'dhl' }]);
    // Inside a transaction the stale statement fails the transaction; run again, it goes through.
    await other.exec(`alter table parcels_seen add column status text not null default 'delivered'`);
    await expect(db.transaction((tx) => tx.query(text))).rejects.toThrow(/cached plan must not change result type/);
    expect(await db.transaction((tx) => tx.query(text))).toEqual([{ id: 1, carrier: 'dhl', status: 'delivered' }]);
  });
});
