import { MemoTable } from '../infra/memo-table.ts';

/**
 * Wall clocks of IANA time zones, computed per instant: carriers write times in the zone of a place
 * with the offset that zone had on that date, so an offset can never be taken from "today".
 * Pure: every function is handed the instant it works on.
 */

/** What a clock on the wall of a time zone shows, to the second; `month` counts from 1. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one. */
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

const HOUR_MS = 3_600_000;
/**
 * Reading a wall clock through Intl for every instant is slow: each zone's offset is kept per UTC
 * hour, by hour number. An hour whose first and last second have different offsets holds a change
 * of offset (twice a year; at most one an hour in every zone): kept as NaN, read through Intl each time.
 */
const offsetsByHour = new Map<string, MemoTable<number, number>>();

function offsetMsAt(wholeSecondMs: number, timeZone: string): number {
  let hours = offsetsByHour.get(timeZone);
  if (!hours) {
    hours = new MemoTable(100_000, (hour) => {
      const atStart = readOffsetMs(hour * HOUR_MS, timeZone);
      return atStart === readOffsetMs((hour + 1) * HOUR_MS - 1000, timeZone) ? atStart : Number.NaN;
    });
    offsetsByHour.set(timeZone, hours);
  }
  const offset = hours.get(Math.floor(wholeSecondMs / HOUR_MS));
  return Number.isNaN(offset) ? readOffsetMs(wholeSecondMs, timeZone) : offset;
}

function readOffsetMs(wholeSecondMs: number, timeZone: string): number {
  return wallClockAsUtcMs(readWallClock(new Date(wholeSecondMs), timeZone)) - wholeSecondMs;
}

export function wallClock(at: Date, timeZone: string): WallClock {
  const wholeSecondMs = Math.floor(at.getTime() / 1000) * 1000;
  const wall = new Date(wholeSecondMs + offsetMsAt(wholeSecondMs, timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), minute: wall.getUTCMinutes(), second: wall.getUTCSeconds() };
}

function readWallClock(at: Date, timeZone: string): WallClock {
  const parts = formatterOf(timeZone).formatToParts(at);
  const value = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((part) => part.type === type)?.value);
  return { year: value('year'), month: value('month'), day: value('day'), hour: value('hour'), minute: value('minute'), second: value('second') };
}

/** The wall clock read as if it were UTC; a day past the month's end rolls over, as Date.UTC does. */
function wallClockAsUtcMs(clock: WallClock): number {
  return Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
}

/** Minutes `timeZone` is ahead of UTC at that instant (-240 in New York in summer, 120 in Paris). */
export function offsetMinutes(at: Date, timeZone: string): number {
  // The wall clock shows whole seconds: compare it with the instant cut to its second.
  const wholeSecondMs = Math.floor(at.getTime() / 1000) * 1000;
  return (wallClockAsUtcMs(wallClock(at, timeZone)) - wholeSecondMs) / 60_000;
}

/**
 * The offset `timeZone` had when its clocks showed this wall time (given as if it were UTC).
 * Guessed with the offset a few hours around, then corrected once: in the autumn hour that happens
 * twice this reads the later (winter) one, and a wall time skipped in spring keeps the winter offset.
 */
export function offsetAtWallTime(wallTimeAsUtcMs: number, timeZone: string): number {
  const guess = offsetMinutes(new Date(wallTimeAsUtcMs), timeZone);
  return offsetMinutes(new Date(wallTimeAsUtcMs - guess * 60_000), timeZone);
}

const pad = (value: number, length = 2): string => String(value).padStart(length, '0');

/**
 * `+02:00`, `-05:00`, `+05:30`; UTC itself is `+00:00`. ISO 8601 offsets count whole minutes: the
 * local mean time zones kept before standard time (Berlin +00:53:28 until 1893) are rounded.
 */
export function formatOffset(minutes: number): string {
  const whole = Math.round(minutes);
  const abs = Math.abs(whole);
  return `${whole < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** `2024-08-20T12:41:57`: the wall clock without any zone. */
export function formatWallClock(clock: WallClock): string {
  return `${pad(clock.year, 4)}-${pad(clock.month)}-${pad(clock.day)}T${pad(clock.hour)}:${pad(clock.minute)}:${pad(clock.second)}`;
}

/** ISO 8601 to the second in `timeZone`, with its offset at that instant (`2024-08-20T12:41:57-04:00`). */
export function formatInZone(at: Date, timeZone: string): string {
  return `${formatWallClock(wallClock(at, timeZone))}${formatOffset(offsetMinutes(at, timeZone))}`;
}

/** The instant at `hh:mm` in `timeZone` on its calendar day `dayShift` days after `at`'s. */
export function timeOnDay(at: Date, timeZone: string, dayShift: number, hhmm = '00:00'): Date {
  const today = wallClock(at, timeZone);
  const [hour = 0, minute = 0] = hhmm.split(':').map(Number);
  const wanted = wallClockAsUtcMs({ ...today, day: today.day + dayShift, hour, minute, second: 0 });
  return new Date(wanted - offsetAtWallTime(wanted, timeZone) * 60_000);
}
