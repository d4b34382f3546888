import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrate, readMigrations } from './migrate.ts';
import { openPostgresDatabase } from './postgres-database.ts';

const databaseUrl = process.env.DATABASE_URL || undefined;

// Several processes (workers, a scheduler, CLI commands) may start at once on a new installation.
describe.skipIf(!databaseUrl)('processes starting at once on a new PostgreSQL schema (DATABASE_URL)', () => {
  it('all start: the schema and its migrations are created once, one process at a time', async () => {
    const schema = `concurrent_start_${randomBytes(4).toString('hex')}`;
    const starts = Array.from({ length: 6 }, async () => {
      const db = await openPostgresDatabase(databaseUrl!, schema, { connections: 1 });
      try {
        return await migrate(db);
      } finally {
        await db.close();
      }
    });
    try {
      const applied = await Promise.all(starts);
      const versions = (await readMigrations()).map((migration) => migration.version);
      // One start applied every migration, the others found them applied.
      expect(applied.flat().sort((a, b) => a - b)).toEqual(versions);
    } finally {
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    }
  });
});
