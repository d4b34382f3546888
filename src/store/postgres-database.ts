import pg from 'pg';
import { type Database, type Row, type Sql, TYPE_PARSERS } from './database.ts';
import { MIGRATION_LOCK_ID } from './migrate.ts';

const types = {
  getTypeParser: ((oid: number, format?: string) => TYPE_PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** A PostgreSQL server through node-postgres; every connection uses `schema` as its search_path. */
export async function openPostgresDatabase(url: string, schema: string, maxConnections = 10): Promise<Database> {
  const bootstrap = new pg.Client({ connectionString: url });
  await bootstrap.connect();
  try {
    await bootstrap.query('begin');
    await bootstrap.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
    await bootstrap.query(`create schema if not exists ${schema}`);
    await bootstrap.query('commit');
  } finally {
    await bootstrap.end();
  }
  // The name shows in pg_stat_activity: an administrator sees which installation holds a connection.
  const pool = new pg.Pool({ connectionString: url, max: maxConnections, options: `-c search_path=${schema}`, application_name: `parcelbot:${schema}`, types });
  // An idle client losing its server must not crash the process: the pool replaces it.
  pool.on('error', () => {});

  const sqlOf = (target: pg.Pool | pg.PoolClient): Sql => ({
    async query<R extends Row>(text: string, params: readonly unknown[] = []) {
      return (await target.query<R>(text, params as unknown[])).rows;
    },
    async exec(text: string) {
      await target.query(text);
    },
  });

  return {
    kind: 'postgres',
    ...sqlOf(pool),
    async transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      // A connection cut between two statements of the transaction (server restarted, backend
      // terminated) is an 'error' event on the client: without a listener it would end the
      // process. The transaction's next statement fails instead, and the client leaves the pool.
      let lost: Error | undefined;
      const onLost = (error: Error) => (lost = error);
      client.on('error', onLost);
      try {
        await client.query('begin');
        const result = await work(sqlOf(client));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.off('error', onLost);
        client.release(lost);
      }
    },
    close: async () => {
      // Idempotent: the app and its owner may both close it.
      if (!pool.ended) await pool.end();
    },
  };
}
