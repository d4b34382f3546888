import { wallClock } from '../domain/time-zone.ts';
import { type BusinessCalendar, type LocalDay, shiftDay } from '../promise/business-calendar.ts';

/**
 * When a decision is due, written in the rules file as
 *
 *   <anchor> [or <anchor>...] [+|- <n> <unit>] [at HH:MM]
 *
 * - anchors: `now`, `promise` (the promise's last day, from 00:00), `estimate` (the carrier's
 *   estimate, its latest instant), `delivered`, `first_scan`, `last_scan`, `first_contact`.
 *   `promise or estimate or now` takes the first one the shipment has.
 * - units: `business day(s)` (of the destination country), `day(s)`, `hour(s)`, `minute(s)`.
 * - `at HH:MM`: that time on the resulting day, in the destination country's time zone. Without
 *   it, a day offset keeps the anchor's time of day (00:00 for `promise`). Not with hours or minutes.
 *
 * Examples: `now`, `now + 2 hours`, `promise + 1 business day at 09:00`,
 * `delivered + 2 business days`, `last_scan + 10 days at 08:00`.
 */
export const ANCHORS = ['now', 'promise', 'estimate', 'delivered', 'first_scan', 'last_scan', 'first_contact'] as const;
export type Anchor = (typeof ANCHORS)[number];

export type OffsetUnit = 'business day' | 'day' | 'hour' | 'minute';

export interface WhenExpression {
  text: string;
  anchors: Anchor[];
  offset?: { amount: number; unit: OffsetUnit };
  time?: string;
}

/** An anchor's value for one shipment: its day in the destination country and its instant. */
export interface AnchorPoint {
  day: LocalDay;
  instant: Date;
}

export type AnchorValues = Partial<Record<Anchor, AnchorPoint>>;

const SYNTAX = /^(?<anchors>[a-z_]+(?:\s+or\s+[a-z_]+)*)(?:\s*(?<sign>[+-])\s*(?<amount>\d{1,4})\s+(?<unit>[a-z ]+?))?(?:\s+at\s+(?<time>\S+))?$/;
const UNITS: Record<string, OffsetUnit> = {
  'business day': 'business day',
  'business days': 'business day',
  day: 'day',
  days: 'day',
  hour: 'hour',
  hours: 'hour',
  minute: 'minute',
  minutes: 'minute',
};
const EXAMPLE = 'such as now, now + 2 hours, promise + 1 business day at 09:00 or delivered + 2 business days';

function isAnchor(word: string): word is Anchor {
  return (ANCHORS as readonly string[]).includes(word);
}

/** The expression, or what is wrong with it (a sentence that says how to write it). */
export function parseWhen(text: string): WhenExpression | { error: string } {
  const match = SYNTAX.exec(text.trim().replace(/\s+/g, ' '));
  const groups = match?.groups;
  if (!groups?.anchors) return { error: `"${text}" is not a time: write <anchor> [+ <n> <unit>] [at HH:MM], ${EXAMPLE}` };
  const words = groups.anchors.split(/\s+or\s+/);
  const unknown = words.find((word) => !isAnchor(word));
  if (unknown !== undefined) return { error: `unknown anchor "${unknown}": expected one of ${ANCHORS.join(', ')}` };
  const expression: WhenExpression = { text, anchors: words.filter(isAnchor) };
  if (groups.unit !== undefined) {
    const unit = UNITS[groups.unit];
    if (!unit) return { error: `unknown unit "${groups.unit}": expected business days, days, hours or minutes` };
    expression.offset = { amount: Number(groups.amount) * (groups.sign === '-' ? -1 : 1), unit };
  }
  if (groups.time !== undefined) {
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(groups.time)) return { error: `"at ${groups.time}": expected a time as HH:MM, such as 09:00` };
    if (expression.offset?.unit === 'hour' || expression.offset?.unit === 'minute') {
      return { error: `"at ${groups.time}" goes with a day offset (business days or days), not with ${expression.offset.unit}s` };
    }
    expression.time = groups.time;
  }
  return expression;
}

export type ResolvedWhen = { at: Date; anchor: Anchor } | { missing: Anchor[] };

/** The instant an expression names for one shipment, or the anchors it lacked. Pure. */
export function resolveWhen(expression: WhenExpression, values: AnchorValues, calendar: BusinessCalendar): ResolvedWhen {
  const anchor = expression.anchors.find((name) => values[name] !== undefined);
  const point = anchor && values[anchor];
  if (!anchor || !point) return { missing: expression.anchors };
  const { offset, time } = expression;
  if (offset?.unit === 'hour' || offset?.unit === 'minute') {
    return { at: new Date(point.instant.getTime() + offset.amount * (offset.unit === 'hour' ? 3_600_000 : 60_000)), anchor };
  }
  if (!offset && !time) return { at: point.instant, anchor };
  const day = !offset ? point.day : offset.unit === 'business day' ? calendar.addBusinessDays(point.day, offset.amount) : shiftDay(point.day, offset.amount);
  return { at: calendar.at(day, time ?? timeOfDay(point.instant, calendar.timeZone)), anchor };
}

function timeOfDay(instant: Date, timeZone: string): string {
  const clock = wallClock(instant, timeZone);
  return `${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}`;
}

/** True when the expression means "at once": Decision.at is then left out. */
export function isImmediate(expression: WhenExpression | undefined): boolean {
  return expression === undefined || (expression.anchors[0] === 'now' && !expression.offset && !expression.time);
}
