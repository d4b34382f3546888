import { CronExpressionParser } from 'cron-parser';
import cron from 'node-cron';

/**
 * node-cron fires the ticks but only looks forward; cron-parser (the parser BullMQ uses) walks
 * backwards to find a tick missed while no scheduler ran. Where the two could read an expression
 * differently (both day-of-month and day-of-week set: node-cron ANDs them, cron-parser ORs them),
 * a candidate counts only when node-cron would have fired it too.
 *
 * Both are walked in wall-clock time (read as UTC, where no clock changes), and each wall-clock
 * tick is then placed in the time zone by `tickInstant`: cron-parser's own time-zone walk and
 * node-cron's matcher disagree across clock changes, and neither fires a time the spring change
 * skips (02:00 Europe/Paris on the last Sunday of March).
 */

const HOUR_MS = 3_600_000;
/** Farther than any clock change moves a wall clock. */
const MAX_SHIFT_MS = 3 * HOUR_MS;

/** Why node-cron or cron-parser cannot run this expression, or undefined when both can. */
export function checkCronExpression(expression: string): string | undefined {
  if (!cron.validate(expression)) return 'not a valid cron expression';
  try {
    CronExpressionParser.parse(expression);
    return undefined;
  } catch {
    return 'a cron expression without a previous tick to compute';
  }
}

/**
 * The latest tick of `expression` in `timeZone` at or before `now` and at or after `notBefore`;
 * undefined when there is none in that span.
 */
export function lastDueTick(expression: string, timeZone: string, now: Date, notBefore: Date): Date | undefined {
  if (notBefore > now) return undefined;
  const matcher = cron.createTask(expression, () => {}, { timezone: 'UTC' });
  try {
    // After an autumn change, a tick already past can read later on the wall clock than now does.
    const latestWall = now.getTime() + Math.max(offsetAt(now.getTime() - MAX_SHIFT_MS, timeZone), offsetAt(now.getTime(), timeZone));
    // cron-parser's prev() is strictly before its start: start 1 ms later so a tick at `now` counts.
    const walls = CronExpressionParser.parse(expression, { currentDate: new Date(latestWall + 1), tz: 'UTC' });
    for (;;) {
      const wall = walls.prev().toDate();
      if (!matcher.match(wall)) continue;
      const tick = tickInstant(wall.getTime(), timeZone);
      // Instants never run backwards as wall-clock ticks do: once before notBefore, all the rest are.
      if (tick < notBefore) return undefined;
      if (tick <= now) return tick;
    }
  } catch {
    // cron-parser throws when it runs out of dates to walk back through.
    return undefined;
  } finally {
    void matcher.destroy();
  }
}

/**
 * When a wall-clock tick (its fields read as UTC) happens in `timeZone`: a time the autumn change
 * repeats counts once, at its later occurrence (the one node-cron fires); a time the spring change
 * skips is moved to the first instant after the gap, so every process leases it under one key.
 */
export function tickInstant(wall: number, timeZone: string): Date {
  const offsets = new Set([offsetAt(wall - 14 * HOUR_MS, timeZone), offsetAt(wall + 14 * HOUR_MS, timeZone)]);
  const instants = [...offsets].map((offset) => wall - offset).filter((instant) => wallClock(new Date(instant), timeZone) === wall);
  if (instants.length > 0) return new Date(Math.max(...instants));
  return firstInstantAfterGap(wall - Math.max(...offsets), wall - Math.min(...offsets), timeZone);
}

/** The instant the clock jumps forward, between `before` (old offset) and `after` (new offset). */
function firstInstantAfterGap(before: number, after: number, timeZone: string): Date {
  const oldOffset = offsetAt(before, timeZone);
  let [low, high] = [before, after];
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(middle, timeZone) === oldOffset) low = middle;
    else high = middle;
  }
  return new Date(high);
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** `instant`'s wall-clock time in `timeZone`, as the UTC milliseconds of the same fields (to the second). */
function wallClock(instant: Date, timeZone: string): number {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(timeZone, format);
  }
  const field = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(field.year ?? 0, (field.month ?? 1) - 1, field.day, field.hour, field.minute, field.second) + instant.getUTCMilliseconds();
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`. */
function offsetAt(instant: number, timeZone: string): number {
  return wallClock(new Date(instant), timeZone) - instant;
}
