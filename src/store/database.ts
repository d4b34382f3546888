/** The SQL port: the same SQL runs on embedded PGlite and on a PostgreSQL server. */
export type Row = Record<string, unknown>;

export interface Sql {
  query<R extends Row = Row>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Several statements, no parameters: migrations. */
  exec(text: string): Promise<void>;
}

export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `work` in one transaction, rolled back when it throws. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Both drivers return the same JavaScript values: dates as `YYYY-MM-DD` strings (a promised
 * date has no time zone; a Date would shift it), bigint and numeric as numbers.
 */
export const TYPE_PARSERS: Record<number, (value: string) => unknown> = {
  20: Number, // int8
  1700: Number, // numeric
  1082: (value: string) => value, // date
};

/** Where the store lives, without credentials. */
export function describeDatabase(databaseUrl: string | undefined, dataDir: string): string {
  return databaseUrl ? databaseUrl.replace(/\/\/[^@/]*@/, '//***@') : `embedded PGlite in ${dataDir}`;
}
