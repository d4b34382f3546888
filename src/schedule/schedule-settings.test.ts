import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { RobotRegistry } from '../robot-kit/registry.ts';
import { parseDuration } from './schedule-settings.ts';

const robots = (await RobotRegistry.load()).all();

describe('schedule settings', () => {
  it('default to a nightly sweep at 02:00 Paris time, marketplace sync every 15 minutes and a 6-hour catch-up window', () => {
    expect(loadConfig({}, robots).core).toMatchObject({
      SWEEP_CRON: '0 2 * * *',
      MARKETPLACE_SYNC_CRON: '*/15 * * * *',
      CLAIM_CHECK_CRON: '0 */4 * * *',
      SCHEDULE_TZ: 'Europe/Paris',
      SCHEDULE_GRACE: 6 * 3_600_000,
      FINAL_RECHECK_DAYS: 3,
      RETIRE_AFTER_DAYS: 90,
      FRESH_FOR: 10 * 60_000,
      SWEEP_MAX_RATE_LIMIT_WAIT: 30 * 60_000,
      AGENTS_AWAY_AFTER: 15 * 60_000,
    });
  });

  it('read durations, seconds in a cron expression, and off', () => {
    const { core } = loadConfig({ SWEEP_CRON: '*/5 * * * * *', CLAIM_CHECK_CRON: 'off', SCHEDULE_GRACE: '90m', FRESH_FOR: '30s', SWEEP_MAX_RATE_LIMIT_WAIT: '1d' }, robots);
    expect(core).toMatchObject({ SWEEP_CRON: '*/5 * * * * *', CLAIM_CHECK_CRON: 'off', SCHEDULE_GRACE: 90 * 60_000, FRESH_FOR: 30_000, SWEEP_MAX_RATE_LIMIT_WAIT: 86_400_000 });
    expect(loadConfig({ SWEEP_MAX_RATE_LIMIT_WAIT: '0s' }, robots).core.SWEEP_MAX_RATE_LIMIT_WAIT).toBe(0);
    expect(loadConfig({ AGENTS_AWAY_AFTER: '1s' }, robots).core.AGENTS_AWAY_AFTER).toBe(1000);
    expect([parseDuration('2d'), parseDuration('6h'), parseDuration('6 hours'), parseDuration('-1s')]).toEqual([172_800_000, 21_600_000, undefined, undefined]);
  });

  it.each([
    [{ SWEEP_CRON: '0 25 * * *' }, /^SWEEP_CRON: not a valid cron expression; expected a cron expression such as "0 2 \* \* \*", or off$/],
    [{ MARKETPLACE_SYNC_CRON: 'every 15 minutes' }, /^MARKETPLACE_SYNC_CRON: not a valid cron expression/],
    [{ SCHEDULE_TZ: 'Paris' }, /^SCHEDULE_TZ: expected an IANA time zone such as Europe\/Paris or UTC$/],
    [{ SCHEDULE_GRACE: '6' }, /^SCHEDULE_GRACE: expected a duration such as 90s, 10m, 6h or 2d, at most 7d$/],
    [{ FRESH_FOR: '2d' }, /^FRESH_FOR: expected a duration such as 90s, 10m, 6h or 2d, at most 1d$/],
    [{ SWEEP_MAX_RATE_LIMIT_WAIT: '25h' }, /^SWEEP_MAX_RATE_LIMIT_WAIT: expected a duration such as 90s, 10m, 6h or 2d, at most 1d$/],
    [{ SWEEP_MAX_RATE_LIMIT_WAIT: '30 minutes' }, /^SWEEP_MAX_RATE_LIMIT_WAIT: expected a duration such as 90s, 10m, 6h or 2d, at most 1d$/],
    [{ AGENTS_AWAY_AFTER: '0s' }, /^AGENTS_AWAY_AFTER: expected a duration such as 90s, 10m, 6h or 2d, from 1s to 1d$/],
    [{ AGENTS_AWAY_AFTER: '2d' }, /^AGENTS_AWAY_AFTER: expected a duration such as 90s, 10m, 6h or 2d, from 1s to 1d$/],
    [{ FINAL_RECHECK_DAYS: 'three' }, /^FINAL_RECHECK_DAYS: expected a whole number of days from 0 to 60$/],
    [{ RETIRE_AFTER_DAYS: '0' }, /^RETIRE_AFTER_DAYS: expected a whole number of days from 1 to 3650$/],
  ])('stop on %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env, robots)).toThrow(ConfigError);
    expect(() => loadConfig(env, robots)).toThrow(message);
  });
});
