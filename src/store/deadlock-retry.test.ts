import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sql } from './database.ts';
import { transactionRetryingDeadlocks } from './deadlock-retry.ts';
import { type TestDatabase, openTestDatabase } from './test-database.ts';

// Two transactions take two rows in opposite orders. The first to wait is the first PostgreSQL
// checks for a deadlock (deadlock_timeout after its wait began): it is the victim, the other goes on.
// PGlite has one connection and runs transactions one after the other: only a server deadlocks.

describe.skipIf(!process.env.DATABASE_URL)('a transaction ended as a deadlock victim (DATABASE_URL)', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await openTestDatabase();
    await db.exec('create table counters (id integer primary key, n integer not null); insert into counters values (1, 0), (2, 0)');
  });
  afterEach(async () => db.drop());

  const bump = (tx: Sql, id: number) => tx.query('update counters set n = n + 1 where id = $1', [id]);
  const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Runs `victim` (rows 1 then 2) against a transaction taking 2 then 1 that starts waiting later. */
  async function deadlock<T>(victim: (work: (tx: Sql) => Promise<void>) => Promise<T>) {
    let victimRuns = 0;
    let rowOneTaken!: () => void;
    const oneTaken = new Promise<void>((resolve) => (rowOneTaken = resolve));
    const other = db.transaction(async (tx) => {
      await oneTaken;
      await bump(tx, 2);
      // The victim is waiting for row 2 by now; this transaction then waits for row 1.
      await tick(500);
      await bump(tx, 1);
    });
    const outcome = victim(async (tx) => {
      victimRuns += 1;
      await bump(tx, 1);
      rowOneTaken();
      await tick(100);
      await bump(tx, 2);
    }).then(
      () => 'committed',
      (error: { code?: string }) => error.code,
    );
    const [ended] = await Promise.all([outcome, other]);
    const rows = await db.query<{ id: number; n: number }>('select id, n from counters order by id');
    return { outcome: ended, victimRuns, counters: rows.map((row) => row.n) };
  }

  it('is run again and commits; the other one too', async () => {
    expect(await deadlock((work) => transactionRetryingDeadlocks(db, work))).toEqual({ outcome: 'committed', victimRuns: 2, counters: [2, 2] });
  });

  it('(a plain transaction is rolled back: what this guards against)', async () => {
    expect(await deadlock((work) => db.transaction(work))).toEqual({ outcome: '40P01', victimRuns: 1, counters: [1, 1] });
  });
});
