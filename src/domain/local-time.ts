/** The zone people read times in; parcelbot's merchants and customers are in France by default. */
export const DISPLAY_TIME_ZONE = 'Europe/Paris';

const dayTime = new Intl.DateTimeFormat('sv-SE', { timeZone: DISPLAY_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

/** `2026-11-23 00:00` in Paris time, for terminals and tables; a bare date stays as it is. */
export function formatLocalDateTime(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dayTime.format(date);
}

/** The Paris calendar day of an instant (`2026-11-23`). */
export function localDay(value: string): string {
  return formatLocalDateTime(value).slice(0, 10);
}
