import type { ClaimType } from '../../domain/claim.ts';
import { dayInZone } from '../../domain/calendar-day.ts';
import { timeOnDay } from '../../domain/time-zone.ts';
import { calendarFor, shiftDay } from '../../promise/business-calendar.ts';
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
  /** The instant it opens: the start of `opensOn` in the calendar's time zone. */
  opensAt?: string;
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
    ...(opensOn ? { opensOn, opensAt: timeOnDay(new Date(`${opensOn}T12:00:00Z`), timeZone, 0).toISOString() } : {}),
    ...(lastDay ? { lastDay, closesAt: timeOnDay(new Date(`${lastDay}T12:00:00Z`), timeZone, 1).toISOString() } : {}),
  };
}

/** The day (in `timeZone`) of the first anchor the shipment has. */
function firstKnown(from: readonly WindowAnchor[], anchors: WindowAnchors, timeZone: string): string | undefined {
  for (const anchor of from) {
    const value = anchors[anchor];
    if (value === undefined) continue;
    return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : dayInZone(new Date(value), timeZone);
  }
  return undefined;
}

/** The `days`-th day counted after `day` (day 0: the day itself). */
export function countDays(day: string, days: number, count: DayCount, country: string): string {
  let current = day;
  for (let counted = 0; counted < days; ) {
    current = shiftDay(current, 1);
    if (counts(current, count, country)) counted += 1;
  }
  return current;
}

function counts(day: string, count: DayCount, country: string): boolean {
  if (count === 'calendar') return true;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  if (calendarFor(country).holidaysOf(Number(day.slice(0, 4))).has(day)) return false;
  return count === 'business' ? weekday !== 0 && weekday !== 6 : weekday !== 0;
}
