import { z } from 'zod';
import { isTimeZone } from '../domain/calendar-day.ts';
import { checkCronExpression } from './cron-ticks.ts';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `10m`, `6h`, `2d` -> milliseconds; undefined when it is none of these. */
export function parseDuration(value: string): number | undefined {
  const match = /^(\d+)(s|m|h|d)$/.exec(value.trim());
  return match ? Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0) : undefined;
}

function duration(max: string, min = '0s'): z.ZodType<number, string> {
  const maxMs = parseDuration(max) ?? 0;
  const minMs = parseDuration(min) ?? 0;
  const message = `expected a duration such as 90s, 10m, 6h or 2d, ${minMs > 0 ? `from ${min} to ${max}` : `at most ${max}`}`;
  return z.string().transform((value, context) => {
    const ms = parseDuration(value);
    if (ms === undefined || ms > maxMs || ms < minMs) {
      context.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return ms;
  });
}

/** A cron expression node-cron runs (5 fields, or 6 with seconds first), or `off`. */
const cron = z.string().superRefine((value, context) => {
  const problem = value === 'off' ? undefined : checkCronExpression(value);
  if (problem) context.addIssue({ code: 'custom', message: `${problem}; expected a cron expression such as "0 2 * * *", or off` });
});

const timeZone = z.string().refine(isTimeZone, { message: 'expected an IANA time zone such as Europe/Paris or UTC' });

const days = (min: number, max: number) => {
  const message = `expected a whole number of days from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
};

/**
 * The scheduler's, sweeps' and look-ups' freshness settings (README "Scheduler and sweeps").
 * Merged into the core schema by src/config.ts.
 */
export const scheduleSettings = {
  SWEEP_CRON: cron.default('0 2 * * *'),
  MARKETPLACE_SYNC_CRON: cron.default('*/15 * * * *'),
  CLAIM_CHECK_CRON: cron.default('0 */4 * * *'),
  SCHEDULE_TZ: timeZone.default('Europe/Paris'),
  /** A tick missed while no scheduler ran is run at start when it is at most this old. */
  SCHEDULE_GRACE: duration('7d').default(6 * 3_600_000),
  /** A final parcel is checked again until this many days after it became final. */
  FINAL_RECHECK_DAYS: days(0, 60).default(3),
  /** Every shipment is retired (never checked again) this many days after it was created. */
  RETIRE_AFTER_DAYS: days(1, 3650).default(90),
  /** An agent's look-up of a parcel checked less than this ago answers from the store. */
  FRESH_FOR: duration('1d').default(10 * 60_000),
  /**
   * A sweep waits at most this long for a carrier queue held by a rate limit (a daily quota spent
   * holds it until 00:00 GMT): held longer, its jobs are left waiting and the sweep ends. `0s`: never waits on a held queue.
   */
  SWEEP_MAX_RATE_LIMIT_WAIT: duration('1d').default(30 * 60_000),
  /** Agents count as present from a look-up until this long after the last one: background work on BACKGROUND_CPUS=auto leaves them the last CPU meanwhile. */
  AGENTS_AWAY_AFTER: duration('1d', '1s').default(15 * 60_000),
};
