import type { Database, Sql } from './database.ts';

/** PostgreSQL's deadlock_detected: it aborted this transaction so that another could go on. */
const DEADLOCK_DETECTED = '40P01';

/** Tries in all: a third deadlock in a row says something else is wrong. */
const ATTEMPTS = 3;

/**
 * Runs `work` in one transaction, and again when PostgreSQL ends it as a deadlock's victim. Writers
 * that take the same rows in other orders (a track job recording its checks by id while an import
 * takes shipments by carrier and number) can meet in a deadlock; PostgreSQL rolls one back, which
 * lost a whole import for a moment's bad luck. The other transaction goes on meanwhile, so the
 * work run again finds the rows free. Only for work that touches nothing but the database: it runs
 * whole again.
 */
export async function transactionRetryingDeadlocks<T>(db: Database, work: (tx: Sql) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction(work);
    } catch (error) {
      if (attempt >= ATTEMPTS || (error as { code?: unknown }).code !== DEADLOCK_DETECTED) throw error;
    }
  }
}
