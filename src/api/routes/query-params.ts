import { z } from 'zod';
import { isCalendarDay } from '../../domain/calendar-day.ts';
import { isIsoInstant } from '../../domain/iso-instant.ts';
import { wholeNumber } from '../../infra/whole-number.ts';

/** `?status=a,b` or `?status=a&status=b`: a list of allowed values. */
export function listOf<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((entry) => entry.split(',')).map((entry) => entry.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values, { error: `expected ${what}: ${values.join(', ')}` })).max(values.length * 2))
    .optional();
}

/** PostgreSQL has no year 0 (1 BC is followed by AD 1): a day of year 0000 would fail in the store, not here. */
const isStorableYear = (value: string) => !value.startsWith('0000-');
const STORABLE_YEAR = 'expected a year from 0001';

/** A day of the calendar: the shape alone let 2026-02-30 through, which the store refused with a 500. */
export const isoDay = z
  .string()
  .refine(isCalendarDay, 'expected a date as YYYY-MM-DD, a day of the calendar')
  .refine(isStorableYear, STORABLE_YEAR);

/** A date (`2026-03-10`, midnight UTC) or an instant (`2026-03-10T09:00:00+01:00`), every field in range: `Date.parse` read 2026-02-30 as 2 March. */
export const instant = z
  .string()
  .refine((value) => isCalendarDay(value) || isIsoInstant(value), 'expected a date (YYYY-MM-DD) or an ISO 8601 instant with its offset, every field in range')
  .refine(isStorableYear, STORABLE_YEAR)
  .transform((value) => new Date(value));

/** The id of a shipment (an `integer` column): a larger number is no row, and the store refused it with a 500. */
export const shipmentId = wholeNumber(1, 2 ** 31 - 1);

/** The id of a row in a `bigint` column (exceptions, documents), as far as JavaScript counts exactly. */
export const numericId = wholeNumber(1, Number.MAX_SAFE_INTEGER);
