import { z } from 'zod';

/** `?status=a,b` or `?status=a&status=b`: a list of allowed values. */
export function listOf<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((entry) => entry.split(',')).map((entry) => entry.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values, { error: `expected ${what}: ${values.join(', ')}` })).max(values.length * 2))
    .optional();
}

export const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/** A date (`2026-03-10`, midnight UTC) or an instant (`2026-03-10T09:00:00+01:00`). */
export const instant = z
  .string()
  .refine((value) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) && !Number.isNaN(Date.parse(value)), 'expected a date (YYYY-MM-DD) or an ISO 8601 instant with its offset')
  .transform((value) => new Date(value));

export const numericId = z.coerce.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).positive({ error: 'expected a whole number' }).max(2 ** 53);
