import countries from 'i18n-iso-countries';
import { wallClock } from './time-zone.ts';

/** `YYYY-MM-DD`: a calendar day with no time zone (a promised delivery day). */
export const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Whether `day` is written `YYYY-MM-DD` and is a day of the calendar: `DAY` alone lets 2024-02-30 and 2024-04-31 through. */
export function isCalendarDay(day: string): boolean {
  return DAY.test(day) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
}

/**
 * The calendar day an instant falls on in `timeZone`. Marketplaces write a promised day as an
 * instant (`2025-01-27T22:59:59Z`, the end of the 27th in Madrid): read in UTC, the day of a
 * promise made west of Greenwich would come out one day late.
 */
export function dayInZone(at: Date, timeZone: string): string {
  const { year, month, day } = wallClock(at, timeZone);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `day` plus `days` calendar days. */
export function addDays(day: string, days: number): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year!, month! - 1, date! + days)).toISOString().slice(0, 10);
}

/** Whether `timeZone` is an IANA zone this runtime knows (`Europe/Paris`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The ISO 3166-1 alpha-2 code of a country written as alpha-2 (`ES`) or alpha-3 (`ESP`, what
 * Mirakl's `country_iso_code` holds); undefined for anything else (a name, a typo).
 */
export function countryCode(value: string | null | undefined): string | undefined {
  const code = value?.trim().toUpperCase();
  if (!code) return undefined;
  if (code.length === 2) return countries.isValid(code) ? code : undefined;
  if (code.length === 3) return countries.alpha3ToAlpha2(code) || undefined;
  return undefined;
}
