import { MemoTable } from '../infra/memo-table.ts';
import type { LocalDay } from './business-calendar.ts';

const dayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
/** Days already described: a sweep's reasons name the same few weeks' days again and again, and Intl formats slowly. */
const descriptions = new MemoTable<LocalDay, string>(10_000, (day) => dayFormat.format(new Date(`${day}T00:00:00Z`)).replace(',', ''));

/** `Friday 22 May 2026`: a calendar day as managers read it in reasons and traces. */
export function describeDay(day: LocalDay): string {
  return descriptions.get(day);
}

/** `1 business day`, `3 business days`. */
export function plural(count: number, unit: string): string {
  return `${count} ${unit}${Math.abs(count) === 1 ? '' : 's'}`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
