/** What a failed statement tells that names no value: the SQLSTATE and where it failed. */
const KEPT_FIELDS = ['code', 'severity', 'schema', 'table', 'column', 'dataType', 'constraint', 'routine'] as const;

/**
 * A statement the database refused, as the store lets it out: the message, the SQLSTATE `code`
 * (what callers decide on: a deadlock is retried) and the table, column and constraint, never a
 * value. The drivers' errors carry the statement and its parameters (PGlite: `query`, `params`),
 * PostgreSQL's own fields can quote a row (`detail`: "Key (email)=(...) already exists",
 * `where`: "portal parameter $1 = '...'"), and its data exceptions quote the value refused in
 * the message itself (`invalid input syntax for type integer: "..."`): logged as they were, a
 * customer's e-mail or address reached the logs. Kept out here, no logger anywhere can leak them.
 */
export class StoreError extends Error {
  declare readonly code?: string;
  declare readonly severity?: string;
  declare readonly schema?: string;
  declare readonly table?: string;
  declare readonly column?: string;
  declare readonly dataType?: string;
  declare readonly constraint?: string;
  declare readonly routine?: string;

  constructor(driverError: Error) {
    const fields = driverError as Partial<Record<(typeof KEPT_FIELDS)[number], unknown>>;
    super(isDataException(fields.code) ? withoutQuotedValues(driverError.message) : driverError.message);
    this.name = 'StoreError';
    Object.assign(this, Object.fromEntries(KEPT_FIELDS.filter((field) => typeof fields[field] === 'string').map((field) => [field, fields[field]])));
  }
}

/** SQLSTATE class 22: a value the statement was given or computed does not fit (`22P02`, `22003`, `22007`...). */
const isDataException = (code: unknown): boolean => typeof code === 'string' && code.startsWith('22');

/** `invalid input syntax for type integer: "…"`: what was quoted (a value, in these messages) is blanked, the sentence kept. */
const withoutQuotedValues = (message: string): string => message.replace(/"(?:[^"]|"")*"/g, '"…"');

/** A class of the driver's errors (`pg.DatabaseError`, PGlite's `messages.DatabaseError`). */
export type DriverError = abstract new (...args: never[]) => Error;

/**
 * Runs a driver call: a statement the database refused comes out as a StoreError; anything else
 * (a caller's own error thrown inside a transaction) as it was.
 */
export async function storeCall<T>(call: () => Promise<T>, driverError: DriverError): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof driverError ? new StoreError(error) : error;
  }
}
