import Holidays from 'date-holidays';
import { offsetAtWallTime, wallClock } from '../domain/time-zone.ts';
import { MemoTable } from '../infra/memo-table.ts';

/** A calendar day in a country, `YYYY-MM-DD`: what a promise is made in. */
export type LocalDay = string;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Saturday and Sunday (getUTCDay): parcelbot counts a Monday-to-Friday week in every country. */
const WEEKEND = new Set([0, 6]);
/** Day number 0, 1 January 1970, was a Thursday. */
const WEEKDAY_OF_DAY_ZERO = 4;
/** A calendar nobody would mean (a promise typed as 1920): stop counting rather than loop for ages. */
const MAX_SPAN_DAYS = 3660;

function dayNumber(day: LocalDay): number {
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

function dayOfNumber(number: number): LocalDay {
  return new Date(number * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar day `days` after `day` (before, when negative). */
export function shiftDay(day: LocalDay, days: number): LocalDay {
  return dayOfNumber(dayNumber(day) + days);
}

/**
 * The days a holiday covers: from its `date` (its first local day; a holiday that starts the
 * evening before, as in Israel, keeps that eve a working day) for as many days as it lasts.
 */
function daysCovered(holiday: { date: string; start: Date; end: Date }): LocalDay[] {
  const first = holiday.date.slice(0, 10);
  const length = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS));
  return Array.from({ length }, (_, offset) => shiftDay(first, offset));
}

/** `09:00` -> [9, 0]; checked where it is written (rules file), so a bad value is a bug here. */
function hourMinute(hhmm: string): [number, number] {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!match) throw new RangeError(`expected a time as HH:MM, got "${hhmm}"`);
  return [Number(match[1]), Number(match[2])];
}

/**
 * Business days of a destination country: Monday to Friday, without its public holidays, counted
 * in the country's time zone (a scan at 00:30 in Paris on a Saturday is a Saturday, although it is
 * still Friday in UTC).
 *
 * - Holidays come from the maintained `date-holidays` package, nationwide `public` ones only
 *   (not bank holidays, observances or regional days such as Alsace-Moselle's Good Friday).
 * - The zone is the country's in the same package's data. A country spanning several zones gets
 *   its first one, the zone of its capital or main region (US America/New_York, ES Europe/Madrid,
 *   PT Europe/Lisbon, CA America/Toronto, AU Australia/Sydney): a destination is known only by its
 *   country, and a day's difference in a few places is the price of that.
 * - A country the package does not know keeps weekends only, in UTC (`knowsHolidays` is false).
 */
export class BusinessCalendar {
  readonly timeZone: string;
  readonly knowsHolidays: boolean;
  private readonly holidays: Holidays;
  private readonly holidaysByYear = new Map<number, Set<LocalDay>>();
  /** Whether each day, by day number, is a business day: the verdicts of a sweep count over the same few weeks again and again. */
  private readonly businessByDayNumber = new MemoTable<number, boolean>(10_000, (number) => {
    const weekday = (((number + WEEKDAY_OF_DAY_ZERO) % 7) + 7) % 7;
    const day = dayOfNumber(number);
    return !WEEKEND.has(weekday) && !this.holidaysOf(Number(day.slice(0, 4))).has(day);
  });

  constructor(readonly country: string) {
    this.holidays = new Holidays();
    this.holidays.init(country.toUpperCase(), { types: ['public'] });
    // Every country the package has data for has its zones; an unknown code has none.
    const [zone] = this.holidays.getTimezones();
    this.knowsHolidays = zone !== undefined;
    this.timeZone = zone ?? 'UTC';
  }

  /**
   * The public holidays of a year, as days: every day a holiday lasts (Korea's Seollal and
   * Chuseok, Eid in several countries, last three or four), a holiday of the year before that
   * runs into this one included.
   */
  holidaysOf(year: number): ReadonlySet<LocalDay> {
    let days = this.holidaysByYear.get(year);
    if (!days) {
      const list = this.knowsHolidays ? [...this.holidays.getHolidays(year - 1), ...this.holidays.getHolidays(year)] : [];
      const covered = list.filter((holiday) => holiday.type === 'public').flatMap(daysCovered);
      days = new Set(covered.filter((day) => day.startsWith(`${String(year).padStart(4, '0')}-`)));
      this.holidaysByYear.set(year, days);
    }
    return days;
  }

  isBusinessDay(day: LocalDay): boolean {
    return this.businessByDayNumber.get(dayNumber(day));
  }

  /** The country's calendar day at an instant. */
  dayOf(at: Date): LocalDay {
    const clock = wallClock(at, this.timeZone);
    return `${String(clock.year).padStart(4, '0')}-${String(clock.month).padStart(2, '0')}-${String(clock.day).padStart(2, '0')}`;
  }

  /** The instant the country's clocks show `hh:mm` on `day` (a time skipped in spring reads as winter time). */
  at(day: LocalDay, hhmm = '00:00'): Date {
    const [hour, minute] = hourMinute(hhmm);
    const wallAsUtc = dayNumber(day) * DAY_MS + hour * HOUR_MS + minute * 60_000;
    return new Date(wallAsUtc - offsetAtWallTime(wallAsUtc, this.timeZone) * 60_000);
  }

  /**
   * `count` business days after `day` (before, when negative), stepping over weekends and holidays:
   * Friday + 1 is Monday, or Tuesday when Monday is a holiday. `count` 0 is `day` itself.
   */
  addBusinessDays(day: LocalDay, count: number): LocalDay {
    const step = count < 0 ? -1 : 1;
    let current = dayNumber(day);
    for (let left = Math.abs(count); left > 0; ) {
      current += step;
      if (this.businessByDayNumber.get(current)) left -= 1;
    }
    return count === 0 ? day : dayOfNumber(current);
  }

  /** The first business day strictly after `day`. */
  nextBusinessDay(day: LocalDay): LocalDay {
    return this.addBusinessDays(day, 1);
  }

  /**
   * How many business days later `to` is than `from`, like a difference of dates: the business
   * days after `from` up to and including `to` (Friday -> next Monday is 1; Friday -> Tuesday after
   * a holiday Monday is 1). Negative when `to` is earlier.
   */
  businessDaysBetween(from: LocalDay, to: LocalDay): number {
    if (to < from) return -this.businessDaysBetween(to, from);
    const first = dayNumber(from);
    const span = Math.min(dayNumber(to) - first, MAX_SPAN_DAYS);
    let count = 0;
    for (let offset = 1; offset <= span; offset += 1) if (this.businessByDayNumber.get(first + offset)) count += 1;
    return count;
  }

  /** Hours between two instants that fall on business days: a weekend or a holiday does not count. */
  businessHoursBetween(from: Date, to: Date): number {
    if (to <= from) return 0;
    let total = 0;
    const last = this.dayOf(to);
    let day = this.dayOf(from);
    for (let guard = 0; day <= last && guard <= MAX_SPAN_DAYS; guard += 1, day = shiftDay(day, 1)) {
      if (!this.isBusinessDay(day)) continue;
      const start = Math.max(this.at(day).getTime(), from.getTime());
      const end = Math.min(this.at(shiftDay(day, 1)).getTime(), to.getTime());
      if (end > start) total += end - start;
    }
    return total / HOUR_MS;
  }

  /** The start (or `hh:mm`) of the first business day after the instant's day, in the country's time. */
  startOfNextBusinessDay(at: Date, hhmm = '00:00'): Date {
    return this.at(this.nextBusinessDay(this.dayOf(at)), hhmm);
  }
}

const calendars = new Map<string, BusinessCalendar>();

/** One calendar per country (loading a country's holiday rules costs more than using them). */
export function calendarFor(country: string): BusinessCalendar {
  const code = country.toUpperCase();
  let calendar = calendars.get(code);
  if (!calendar) {
    calendar = new BusinessCalendar(code);
    calendars.set(code, calendar);
  }
  return calendar;
}
