import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from './database.ts';
import { migrate } from './migrate.ts';
import { openDatabase } from './open-database.ts';
import { openPgliteDatabase } from './pglite-database.ts';

export type TestDatabase = Database & { drop(): Promise<void> };

let sharedPglite: Promise<Database> | undefined;

/**
 * For tests: a fresh, migrated store in a schema of its own, removed by `drop()`. On PostgreSQL
 * when DATABASE_URL is set (CI runs the suite once each way), else on embedded PGlite. Starting
 * PGlite takes seconds, so a test process (its files run one after another: vitest.config.ts)
 * shares one instance and gets a new schema per call: open one test database at a time per file.
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const databaseUrl = process.env.DATABASE_URL || undefined;
  if (databaseUrl) {
    const db = await openDatabase({ databaseUrl, dataDir: 'memory://', schema });
    return Object.assign(db, { drop: () => dropPostgresSchema(db, databaseUrl, schema) });
  }
  sharedPglite ??= openPgliteDatabase('memory://', 'public');
  const shared = await sharedPglite;
  await shared.exec(`create schema ${schema}; set search_path to ${schema}`);
  await migrate(shared);
  return {
    ...shared,
    kind: shared.kind,
    query: shared.query,
    exec: shared.exec,
    transaction: shared.transaction,
    close: async () => {},
    drop: () => shared.exec(`drop schema ${schema} cascade; set search_path to public`),
  };
}

async function dropPostgresSchema(db: Database, databaseUrl: string, schema: string): Promise<void> {
  await db.close();
  await dropSchema(databaseUrl, schema);
}

/** Drops a schema of the PostgreSQL server and all it holds (a test's, a chaos run's). */
export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}
