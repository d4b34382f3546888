import { createHash } from 'node:crypto';

/**
 * At most this many statement texts get a name in a process: the store's statements are a few
 * dozen fixed texts; a text built with values in it would otherwise fill every connection's
 * PostgreSQL memory with plans used once.
 */
export const MAX_NAMED_STATEMENTS = 500;

/**
 * Names for statement texts, so that PostgreSQL parses and plans each text once per connection
 * and then only executes it (a named prepared statement). A sweep runs the same few statements
 * thousands of times: measured on the 20,000-parcel benchmark, PostgreSQL's CPU per parcel fell
 * by a fifth. The name comes from the text (node-postgres prepares it on each connection the
 * first time that connection sees the name).
 */
export class StatementNames {
  readonly #names = new Map<string, string>();
  #renewals = 0;

  /** The text's name; undefined once MAX_NAMED_STATEMENTS texts are named (sent unprepared then). */
  nameOf(text: string): string | undefined {
    const known = this.#names.get(text);
    if (known !== undefined || this.#names.size >= MAX_NAMED_STATEMENTS) return known;
    const name = `parcelbot_${digestOf(text, 20)}`;
    this.#names.set(text, name);
    return name;
  }

  /**
   * A new name for a text whose prepared statement no longer fits its tables (see
   * isStalePlanError): every connection prepares the text again under it.
   */
  renew(text: string): string {
    const name = `parcelbot_r${++this.#renewals}_${digestOf(text, 16)}`;
    this.#names.set(text, name);
    return name;
  }
}

/** The first `length` hex digits of the text's SHA-1: a name short enough for PostgreSQL's 63 characters. */
const digestOf = (text: string, length: number) => createHash('sha1').update(text).digest('hex').slice(0, length);

/**
 * PostgreSQL refuses to run a prepared statement whose result columns changed since it was
 * prepared (`select *` after a migration run by another process added a column); it runs again
 * once prepared anew.
 */
export function isStalePlanError(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === '0A000' && typeof message === 'string' && message.includes('cached plan must not change result type');
}
