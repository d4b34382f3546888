import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedLogger } from '../../fixtures/testing/follow-up-context.ts';
import { StoreError } from './store-error.ts';
import { type TestDatabase, openTestDatabase } from './test-database.ts';

const EMAIL = 'jane.doe@example.com';

/** The error a statement fails with, as the store lets it out. */
const failureOf = (statement: Promise<unknown>): Promise<unknown> => statement.then(() => expect.unreachable('the statement was refused'), (failure: unknown) => failure);

// On PostgreSQL when DATABASE_URL is set, else on PGlite: both drivers' errors carry values.
describe('a statement the store refuses', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase();
    await db.exec('create table customers (id integer primary key, email text unique)');
    await db.query('insert into customers values (1, $1)', [EMAIL]);
  });
  afterAll(async () => db?.drop());

  it.each([
    { label: 'a unique violation, whose detail quotes the row', run: () => db.query('insert into customers values (2, $1)', [EMAIL]), code: '23505', constraint: 'customers_email_key' },
    { label: 'a parameter out of range, with the others', run: () => db.query('select * from customers where id = $1 and email = $2', [3_000_000_000, EMAIL]), code: '22003' },
    { label: 'a value that is no number, which the message itself quotes', run: () => db.query('select $1::integer', [EMAIL]), code: '22P02' },
    { label: 'a failure inside a transaction', run: () => db.transaction((tx) => tx.query('insert into customers values (3, $1)', [EMAIL])), code: '23505', constraint: 'customers_email_key' },
  ])('keeps the code and message of $label, and no value: logged, the line holds no e-mail', async ({ run, code, constraint }) => {
    const error = await failureOf(run());
    const { logger, lines } = capturedLogger('info');
    logger.error({ err: error }, 'request failed');
    expect(lines.join('')).toContain(`"code":"${code}"`);
    expect(lines.join('')).not.toContain(EMAIL);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code, ...(constraint ? { constraint } : {}) });
    for (const field of ['params', 'query', 'detail', 'where', 'internalQuery']) expect(error).not.toHaveProperty(field);
  });

  it('blanks the value a data exception quotes and keeps its sentence', async () => {
    expect(await failureOf(db.query('select $1::integer', [EMAIL]))).toMatchObject({ message: 'invalid input syntax for type integer: "…"' });
  });

  it("lets a caller's own error out of a transaction as it was", async () => {
    const own = new Error('the caller gave up');
    await expect(db.transaction(async () => Promise.reject(own))).rejects.toBe(own);
  });
});
