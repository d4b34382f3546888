import { isCalendarDay } from './calendar-day.ts';

/** ISO 8601 with an offset (or Z), to the minute at least: how parcelbot writes and stores instants. */
const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Whether `value` is an instant written ISO 8601 with its offset, every field in range: the shape
 * alone lets through 24:59, February 30th and +99:00, which `Date.parse` reads as nothing or as
 * another day.
 */
export function isIsoInstant(value: string): boolean {
  const match = ISO_INSTANT.exec(value);
  if (!match) return false;
  const [, day = '', hour, minute, second = '0', offsetHours = '0', offsetMinutes = '0'] = match;
  return isCalendarDay(day) && Number(hour) <= 23 && Number(minute) <= 59 && Number(second) <= 59 && Number(offsetHours) <= 23 && Number(offsetMinutes) <= 59;
}

/** The offset an ISO instant ends with (`Z`, `+02:00`); undefined when it has none. */
export function offsetOfInstant(value: string): string | undefined {
  return /(Z|[+-]\d{2}:\d{2})$/.exec(value)?.[1];
}
