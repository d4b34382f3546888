import pg from 'pg';
import { type Database, type Row, type Sql, TYPE_PARSERS } from './database.ts';
import { CONNECT_TIMEOUT_MS, DatabaseUnavailableError } from './database-unavailable-error.ts';
import { MIGRATION_LOCK_ID } from './migrate.ts';
import { isStalePlanError, StatementNames } from './statement-names.ts';
import { storeCall } from './store-error.ts';

const types = {
  getTypeParser: ((oid: number, format?: string) => TYPE_PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export interface PostgresOptions {
  /** Connections opened at most (DATABASE_POOL_SIZE). */
  connections?: number;
  /** Statements prepared once per connection (src/store/statement-names.ts); off for a pooler that cannot keep them (DATABASE_PREPARED_STATEMENTS). */
  preparedStatements?: boolean;
}

/**
 * Options of every connection. TCP keep-alive probes a connection silent for 30 s: a server host
 * that vanishes (a fail-over, a dropped network) while a statement awaits its answer never sends
 * anything more, and without probes the statement, and the job holding it, would wait for ever;
 * with them the kernel gives the connection up once its probes go unanswered (Linux's defaults:
 * 9 probes 75 s apart, net.ipv4.tcp_keepalive_probes and _intvl, about 12 minutes in all) and the
 * statement fails, to be retried.
 */
const CONNECTION_OPTIONS = { connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true, keepAliveInitialDelayMillis: 30_000 };

/** A PostgreSQL server through node-postgres; every connection uses `schema` as its search_path. */
export async function openPostgresDatabase(url: string, schema: string, { connections = 10, preparedStatements = true }: PostgresOptions = {}): Promise<Database> {
  const bootstrap = new pg.Client({ connectionString: url, ...CONNECTION_OPTIONS });
  await bootstrap.connect().catch((error: unknown) => {
    throw new DatabaseUnavailableError(url, error);
  });
  try {
    await bootstrap.query('begin');
    await bootstrap.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
    await bootstrap.query(`create schema if not exists ${schema}`);
    await bootstrap.query('commit');
  } finally {
    await bootstrap.end();
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: connections,
    // Every later connection is bounded too: a server that stops answering fails a statement needing a
    // new connection after CONNECT_TIMEOUT_MS (a job's attempt fails, to be retried) instead of holding it for ever.
    ...CONNECTION_OPTIONS,
    options: `-c search_path=${schema}`,
    // The name shows in pg_stat_activity: an administrator sees which installation holds a connection.
    application_name: `parcelbot:${schema}`,
    types,
  });
  // An idle client losing its server must not crash the process: the pool replaces it.
  pool.on('error', () => {});

  const names = preparedStatements ? new StatementNames() : undefined;
  // PostgreSQL's errors can quote a row's values (`detail`, `where`): they leave as StoreErrors, without them.
  const sqlOf = (target: pg.Pool | pg.PoolClient, inTransaction: boolean): Sql => ({
    query<R extends Row>(text: string, params: readonly unknown[] = []) {
      return storeCall(async () => {
        const values = params as unknown[];
        const name = names?.nameOf(text);
        try {
          return (await target.query<R>({ name, text, values })).rows;
        } catch (error) {
          if (!names || name === undefined || !isStalePlanError(error)) throw error;
          const renewed = names.renew(text);
          // Inside a transaction the failed statement ended it: the caller's retry runs under the new name.
          if (inTransaction) throw error;
          return (await target.query<R>({ name: renewed, text, values })).rows;
        }
      }, pg.DatabaseError);
    },
    async exec(text: string) {
      await storeCall(() => target.query(text), pg.DatabaseError);
    },
  });

  return {
    kind: 'postgres',
    ...sqlOf(pool, false),
    async transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      // A connection cut between two statements of the transaction (server restarted, backend
      // terminated) is an 'error' event on the client: without a listener it would end the
      // process. The transaction's next statement fails instead, and the client leaves the pool.
      let lost: Error | undefined;
      const onLost = (error: Error) => (lost = error);
      client.on('error', onLost);
      try {
        await storeCall(() => client.query('begin'), pg.DatabaseError);
        const result = await work(sqlOf(client, true));
        await storeCall(() => client.query('commit'), pg.DatabaseError);
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
