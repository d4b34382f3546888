import Holidays from 'date-holidays';
import type { ClaimType } from '../../domain/claim.ts';
import { timeOnDay, wallClock } from '../../domain/time-zone.ts';
import { type ClaimSpan, type ClaimWindowRule, type ClaimWindows, type DayCount, type WindowAnchor, windowRuleOf } from './claim-windows.ts';

/** The dates a window can count from, as the shipment knows them. */
export interface WindowAnchors {
  /** Instant of delivery (ISO 8601). */
  delivered?: string;
  /** The promised day (YYYY-MM-DD, the end of the promised window). */
  promised?: string;
  /** Instant of the carrier's newest event. */
  last_event?: string;
}

export interface ClaimWindow {
  rule: ClaimWindowRule;
  /** The first day the carrier takes the claim (YYYY-MM-DD), when the rule says one. */
  opensOn?: string;
  /** The last day a claim can be filed (YYYY-MM-DD, merchant's calendar). */
  lastDay?: string;
  /** The instant it closes: the end of `lastDay` in the calendar's time zone. Undefined when no date it counts from is known. */
  closesAt?: string;
}

/**
 * When a claim of this type can be filed with this carrier, from the shipment's dates. Pure:
 * public holidays come from the date-holidays data for the calendar's country.
 */
export function claimWindowOf(windows: ClaimWindows, carrier: string, type: ClaimType, anchors: WindowAnchors): ClaimWindow {
  const rule = windowRuleOf(windows, carrier, type);
  const { country, time_zone: timeZone } = windows.calendar;
  const dayOf = (span: ClaimSpan) => {
    const from = firstKnown(span.from, anchors, timeZone);
    return from === undefined ? undefined : countDays(from, span.days, span.count, country);
  };
  const opensOn = rule.opens && dayOf(rule.opens);
  const lastDay = dayOf(rule.closes);
  return {
    rule,
    ...(opensOn ? { opensOn } : {}),
    ...(lastDay ? { lastDay, closesAt: timeOnDay(new Date(`${lastDay}T12:00:00Z`), timeZone, 1).toISOString() } : {}),
  };
}

/** The day (in `timeZone`) of the first anchor the shipment has. */
function firstKnown(from: readonly WindowAnchor[], anchors: WindowAnchors, timeZone: string): string | undefined {
  for (const anchor of from) {
    const value = anchors[anchor];
    if (value === undefined) continue;
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
    const clock = wallClock(new Date(value), timeZone);
    return `${clock.year}-${String(clock.month).padStart(2, '0')}-${String(clock.day).padStart(2, '0')}`;
  }
  return undefined;
}

/** The `days`-th day counted after `day` (day 0: the day itself). */
export function countDays(day: string, days: number, count: DayCount, country: string): string {
  let current = day;
  for (let counted = 0; counted < days; ) {
    current = nextDay(current);
    if (counts(current, count, country)) counted += 1;
  }
  return current;
}

function counts(day: string, count: DayCount, country: string): boolean {
  if (count === 'calendar') return true;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  if (isPublicHoliday(day, country)) return false;
  return count === 'business' ? weekday !== 0 && weekday !== 6 : weekday !== 0;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

const holidaysByCountryYear = new Map<string, ReadonlySet<string>>();

function isPublicHoliday(day: string, country: string): boolean {
  const key = `${country}:${day.slice(0, 4)}`;
  let days = holidaysByCountryYear.get(key);
  if (!days) {
    const holidays = new Holidays(country).getHolidays(Number(day.slice(0, 4))) || [];
    days = new Set(holidays.filter((holiday) => holiday.type === 'public').map((holiday) => holiday.date.slice(0, 10)));
    holidaysByCountryYear.set(key, days);
  }
  return days.has(day);
}
