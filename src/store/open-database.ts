import type { Database } from './database.ts';
import { migrate } from './migrate.ts';

export interface StoreLocation {
  /** A PostgreSQL server; unset means embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  schema: string;
  /** PostgreSQL connections this process opens at most (PGlite has one). */
  connections?: number;
  /** Statements prepared once per PostgreSQL connection (DATABASE_PREPARED_STATEMENTS, on by default). */
  preparedStatements?: boolean;
  /** The longest a PostgreSQL statement may run (DATABASE_STATEMENT_TIMEOUT_MS, 15 minutes by default). */
  statementTimeoutMs?: number;
}

/** Opens the store and brings its schema up to date. */
export async function openDatabase(location: StoreLocation): Promise<Database> {
  // Only the chosen driver is loaded: a process uses one, and each adds to every start.
  const db = location.databaseUrl
    ? await (await import('./postgres-database.ts')).openPostgresDatabase(location.databaseUrl, location.schema, {
        connections: location.connections,
        preparedStatements: location.preparedStatements,
        statementTimeoutMs: location.statementTimeoutMs,
      })
    : await (await import('./pglite-database.ts')).openPgliteDatabase(location.dataDir, location.schema);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
