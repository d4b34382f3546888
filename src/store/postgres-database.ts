import pg from 'pg';
import { redactUrl } from '../infra/redact-url.ts';
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
  /** The longest a statement may run (DATABASE_STATEMENT_TIMEOUT_MS); see statementTimeouts. */
  statementTimeoutMs?: number;
}

/** How long after the server should have cancelled a statement this side gives up on its answer. */
export const ANSWER_GRACE_MS = 5_000;

/**
 * A statement is bounded twice. PostgreSQL cancels one running longer than `statementTimeoutMs`
 * (statement_timeout: a StoreError with SQLSTATE 57014, retried as any). A server that
 * does not answer at all (stuck, or a network that keeps the connection open but carries
 * nothing: TCP keep-alive sees only hosts that vanished) would hold the statement, and the job
 * awaiting it, for ever: `ANSWER_GRACE_MS` later this side stops waiting, and the connection,
 * whose state is then unknown, is closed rather than reused.
 */
const statementTimeouts = (statementTimeoutMs: number) => ({ statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + ANSWER_GRACE_MS });

/** The server did not answer a statement in time (node-postgres's query_timeout; its error has no code, only this message). */
const isUnanswered = (error: unknown): boolean => error instanceof Error && error.message === 'Query read timeout';

/** A statement the server never answered: it was abandoned, and its connection closed. */
export class DatabaseNotAnsweringError extends Error {
  constructor(url: string, waitedMs: number) {
    super(`PostgreSQL at ${redactUrl(url)} did not answer a statement within ${waitedMs / 1000} s (DATABASE_STATEMENT_TIMEOUT_MS and ${ANSWER_GRACE_MS / 1000} s of grace): the statement was abandoned and its connection closed; check the server and the network to it`);
    this.name = 'DatabaseNotAnsweringError';
  }
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
export async function openPostgresDatabase(url: string, schema: string, { connections = 10, preparedStatements = true, statementTimeoutMs = 900_000 }: PostgresOptions = {}): Promise<Database> {
  const timeouts = statementTimeouts(statementTimeoutMs);
  const bootstrap = new pg.Client({ connectionString: url, ...CONNECTION_OPTIONS, ...timeouts });
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
    ...timeouts,
    options: `-c search_path=${schema}`,
    // The name shows in pg_stat_activity: an administrator sees which installation holds a connection.
    application_name: `parcelbot:${schema}`,
    types,
  });
  // An idle client losing its server must not crash the process: the pool replaces it.
  pool.on('error', () => {});

  const names = preparedStatements ? new StatementNames() : undefined;
  // The pool closes a connection whose statement failed (pool.query) or that is released with an error (transaction).
  const answered = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await storeCall(call, pg.DatabaseError);
    } catch (error) {
      throw isUnanswered(error) ? new DatabaseNotAnsweringError(url, timeouts.query_timeout) : error;
    }
  };
  // PostgreSQL's errors can quote a row's values (`detail`, `where`): they leave as StoreErrors, without them.
  const sqlOf = (target: pg.Pool | pg.PoolClient, inTransaction: boolean): Sql => ({
    query<R extends Row>(text: string, params: readonly unknown[] = []) {
      return answered(async () => {
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
      });
    },
    async exec(text: string) {
      await answered(() => target.query(text));
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
        await answered(() => client.query('begin'));
        const result = await work(sqlOf(client, true));
        await answered(() => client.query('commit'));
        return result;
      } catch (error) {
        // A server that left a statement unanswered would leave the rollback unanswered too: the
        // connection is closed instead, and PostgreSQL rolls back what it held when it notices.
        if (error instanceof DatabaseNotAnsweringError) lost = error;
        else await client.query('rollback').catch(() => {});
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
