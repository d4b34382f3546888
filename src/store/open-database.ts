import type { Database } from './database.ts';
import { migrate } from './migrate.ts';
import { openPgliteDatabase } from './pglite-database.ts';
import { openPostgresDatabase } from './postgres-database.ts';

export interface StoreLocation {
  /** A PostgreSQL server; unset means embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  schema: string;
  /** PostgreSQL connections this process opens at most (PGlite has one). */
  connections?: number;
  /** Statements prepared once per PostgreSQL connection (DATABASE_PREPARED_STATEMENTS, on by default). */
  preparedStatements?: boolean;
}

/** Opens the store and brings its schema up to date. */
export async function openDatabase(location: StoreLocation): Promise<Database> {
  const db = location.databaseUrl
    ? await openPostgresDatabase(location.databaseUrl, location.schema, { connections: location.connections, preparedStatements: location.preparedStatements })
    : await openPgliteDatabase(location.dataDir, location.schema);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
