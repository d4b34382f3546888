import type { Sql } from '../store/database.ts';

/** The tables bad input must never touch: the parcels, their events and the agents' look-ups. */
const GUARDED_TABLES = ['shipments', 'tracking_events', 'lookups'] as const;

/**
 * Every row of the guarded tables, in id order: taken before a run of bad input and compared
 * after, it proves nothing stored was lost, changed or added.
 */
export async function storedRows(sql: Sql): Promise<Record<(typeof GUARDED_TABLES)[number], unknown[]>> {
  const entries = await Promise.all(GUARDED_TABLES.map(async (table) => [table, await sql.query(`select * from ${table} order by id`)] as const));
  return Object.fromEntries(entries) as Record<(typeof GUARDED_TABLES)[number], unknown[]>;
}
