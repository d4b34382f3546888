/** What a failed statement tells that names no value: the SQLSTATE and where it failed. */
const KEPT_FIELDS = ['code', 'severity', 'schema', 'table', 'column', 'dataType', 'constraint', 'routine'] as const;

/**
 * A statement the database refused, as the store lets it out: the message, the SQLSTATE `code`
 * (what callers decide on: a deadlock is retried) and the table, column and constraint, never a
 * value. The drivers' errors carry the statement and its parameters (PGlite: `query`, `params`),
 * and PostgreSQL's own fields can quote a row (`detail`: "Key (email)=(...) already exists",
 * `where`: "portal parameter $1 = '...'"): logged as they were, a customer's e-mail or address
 * reached the logs. Kept out here, no logger anywhere can leak them.
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
    super(driverError.message);
    this.name = 'StoreError';
    const fields = driverError as Partial<Record<(typeof KEPT_FIELDS)[number], unknown>>;
    Object.assign(this, Object.fromEntries(KEPT_FIELDS.filter((field) => typeof fields[field] === 'string').map((field) => [field, fields[field]])));
  }
}

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
