import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from './main.ts';
import { TEST_REDIS_URL } from './testing/test-app.ts';

const databaseUrl = process.env.DATABASE_URL;

/**
 * PostgreSQL serves its sessions without priority: a sweep's statements held to a few connections
 * wait in the sweep's own processes instead of among agents' statements in the server.
 */
describe.skipIf(!databaseUrl)('PostgreSQL connections of foreground and background processes (DATABASE_URL)', () => {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const observer = new pg.Client({ connectionString: databaseUrl });
  afterAll(async () => {
    await observer.query(`drop schema if exists ${schema} cascade`);
    await observer.end();
  });

  /** The most connections the app's store opens for 8 statements of 300 ms sent at once. */
  async function connectionsUnderLoad(background: boolean): Promise<number> {
    const env = { DATABASE_URL: databaseUrl!, PARCELBOT_DB_SCHEMA: schema, REDIS_URL: TEST_REDIS_URL, LOG_LEVEL: 'silent', DATABASE_POOL_SIZE: '5', BACKGROUND_DATABASE_POOL_SIZE: '2' };
    const app = await createApp({ env });
    try {
      if (background) app.runAsBackground();
      const store = await app.store();
      const statements = Promise.all(Array.from({ length: 8 }, () => store.db.query('select pg_sleep(0.3)')));
      await new Promise((resolve) => setTimeout(resolve, 150));
      const [{ count }] = (await observer.query(`select count(*)::integer as count from pg_stat_activity where application_name = $1 and query like 'select pg_sleep%'`, [`parcelbot:${schema}`])).rows;
      await statements;
      return count;
    } finally {
      await app.close();
    }
  }

  it('a process opens DATABASE_POOL_SIZE connections, a background one (sweeps, checks, follow-ups) BACKGROUND_DATABASE_POOL_SIZE', { timeout: 30_000 }, async () => {
    await observer.connect();
    expect(await connectionsUnderLoad(false)).toBe(5);
    expect(await connectionsUnderLoad(true)).toBe(2);
  });
});
