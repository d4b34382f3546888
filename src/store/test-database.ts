import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from './database.ts';
import { openDatabase } from './open-database.ts';

/**
 * For tests: a fresh, migrated store. On PostgreSQL when DATABASE_URL is set (CI runs the suite
 * once each way), in a schema of its own that `drop()` removes; else an in-memory PGlite.
 */
export async function openTestDatabase(): Promise<Database & { drop(): Promise<void> }> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const db = await openDatabase({ databaseUrl, dataDir: 'memory://', schema });
  return Object.assign(db, {
    async drop() {
      await db.close();
      if (!databaseUrl) return;
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  });
}
