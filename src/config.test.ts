import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { RobotRegistry } from './robot-kit/registry.ts';

const robots = (await RobotRegistry.load()).all();

describe('loadConfig', () => {
  it('gives every setting its documented default', () => {
    const { core, robots: robotConfigs } = loadConfig({}, robots);
    expect(core).toMatchObject({ PARCELBOT_DATA_DIR: './.data', PARCELBOT_QUEUE_PREFIX: 'parcelbot', WORKER_CONCURRENCY: 16, BACKGROUND_CPUS: 'auto', TRACK_ATTEMPTS: 5, LOG_LEVEL: 'info' });
    expect(core.DATABASE_URL).toBeUndefined();
    expect(core).toMatchObject({ OMS_TIMEOUT_MS: 10_000, FOLLOWUP_APPROVAL_ABOVE: 100, FOLLOWUP_ATTEMPTS: 5, FOLLOWUP_LOCK_MS: 30_000, DATABASE_STATEMENT_TIMEOUT_MS: 900_000, DATABASE_POOL_SIZE: 10, BACKGROUND_DATABASE_POOL_SIZE: 1 });
    expect(robotConfigs.laposte).toMatchObject({ LAPOSTE_API_URL: 'https://api.laposte.fr', LAPOSTE_LANG: 'fr_FR' });
  });

  it('reads numbers and treats an empty variable as unset', () => {
    const { core } = loadConfig({ WORKER_CONCURRENCY: '4', REDIS_URL: '' }, robots);
    expect(core.WORKER_CONCURRENCY).toBe(4);
    expect(core.REDIS_URL).toBeUndefined();
  });

  it.each(['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379/', 'redis://127.0.0.1:6379/3', 'redis://127.0.0.1:6379?db=3', 'rediss://:p%25ss@cache.internal:6380/0'])('takes REDIS_URL=%s', (url) => {
    expect(loadConfig({ REDIS_URL: url }, robots).core.REDIS_URL).toBe(url);
  });

  it.each(['auto', 'all', '0', '0-2,5'])('takes BACKGROUND_CPUS=%s', (cpus) => {
    expect(loadConfig({ BACKGROUND_CPUS: cpus }, robots).core.BACKGROUND_CPUS).toBe(cpus);
  });

  it.each([
    [{ WORKER_CONCURRENCY: 'many' }, /^WORKER_CONCURRENCY: /],
    [{ DATABASE_URL: 'mysql://root@localhost/db' }, /^DATABASE_URL: expected a PostgreSQL URL/],
    [{ REDIS_URL: 'localhost:6379' }, /^REDIS_URL: expected a Redis URL/],
    [{ REDIS_URL: 'redis://:Zm9v/YmFy@127.0.0.1:6379' }, /^REDIS_URL: not a valid URL: percent-encode the user name and password \(\/ as %2F/],
    [{ REDIS_URL: 'redis://user:1/2@127.0.0.1:6379' }, /^REDIS_URL: not a valid URL: percent-encode/],
    [{ DATABASE_URL: 'postgres://app:Zm9v/YmFy@127.0.0.1:5432/parcelbot' }, /^DATABASE_URL: not a valid URL: percent-encode/],
    [{ DATABASE_URL: 'postgres://app:pa#ss@127.0.0.1:5432/parcelbot' }, /^DATABASE_URL: not a valid URL: percent-encode/],
    [{ DATABASE_URL: 'postgres://app:s3cret%zz@127.0.0.1:5432/parcelbot' }, /^DATABASE_URL: not a valid URL: percent-encode .*% as %25\)$/],
    [{ REDIS_URL: 'redis://:s3cret%zz@127.0.0.1:6379' }, /^REDIS_URL: not a valid URL: percent-encode .*% as %25\)$/],
    [{ REDIS_URL: 'redis://127.0.0.1:6379/abc' }, /^REDIS_URL: the database after the port \(or in \?db=\) must be a number, such as redis:\/\/127.0.0.1:6379\/0$/],
    [{ REDIS_URL: 'redis://127.0.0.1:6379/1/2' }, /^REDIS_URL: the database after the port/],
    [{ REDIS_URL: 'redis://127.0.0.1:6379?db=two' }, /^REDIS_URL: the database after the port/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: /],
    [{ PARCELBOT_DB_SCHEMA: 'drop table;' }, /^PARCELBOT_DB_SCHEMA: expected a lower-case SQL identifier/],
    [{ LAPOSTE_API_URL: 'api.laposte.fr' }, /^LAPOSTE_API_URL: must be an http\(s\) URL/],
    [{ OMS_URL: 'oms.example.com' }, /^OMS_URL: expected the order system's http\(s\) address/],
    [{ FOLLOWUP_APPROVAL_ABOVE: '100 EUR' }, /^FOLLOWUP_APPROVAL_ABOVE: expected an amount such as 100 or 49.90$/],
    [{ FOLLOWUP_LOCK_MS: '10' }, /^FOLLOWUP_LOCK_MS: expected a whole number from 500 to 600000 \(milliseconds\)$/],
    [{ DATABASE_STATEMENT_TIMEOUT_MS: '15m' }, /^DATABASE_STATEMENT_TIMEOUT_MS: expected a whole number from 1000 to 86400000 \(milliseconds\)$/],
    [{ BACKGROUND_CPUS: 'half' }, /^BACKGROUND_CPUS: expected auto, all, or a list of CPU numbers such as 0 or 0-2,5$/],
    [{ BACKGROUND_CPUS: '0-1,3-2' }, /^BACKGROUND_CPUS: expected CPU ranges from the lower number to the higher, such as 0-2$/],
  ])('stops on %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env, robots)).toThrow(ConfigError);
    expect(() => loadConfig(env, robots)).toThrow(message);
  });

  it('never echoes a value back: it may be a secret in the wrong variable', () => {
    const secret = 'sk_live_0123456789abcdef';
    try {
      loadConfig({ REDIS_URL: secret }, robots);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
      expect((error as Error).message.split('\n')).toHaveLength(1);
    }
  });

  it('reads a password holding @, / or : when percent-encoded, and never echoes one that is not', () => {
    const password = 'Zm9vQ/YmFyX@cXV4:eHl6';
    expect(loadConfig({ REDIS_URL: `redis://:${encodeURIComponent(password)}@127.0.0.1:6379`, DATABASE_URL: `postgres://app:${encodeURIComponent(password)}@127.0.0.1/parcelbot` }, robots).core.REDIS_URL).toBeDefined();
    for (const env of [{ REDIS_URL: `redis://:${password}@127.0.0.1:6379` }, { DATABASE_URL: `postgres://app:${password}@127.0.0.1/parcelbot` }]) {
      const message = (() => {
        try {
          return loadConfig(env, robots) && '';
        } catch (error) {
          return (error as Error).message;
        }
      })();
      expect(message).toMatch(/^(REDIS|DATABASE)_URL: not a valid URL/);
      for (const piece of password.split(/[@/:]/)) expect(message).not.toContain(piece);
    }
  });

  it('returns frozen settings', () => {
    const config = loadConfig({}, robots);
    expect(Object.isFrozen(config.core)).toBe(true);
    expect(Object.isFrozen(config.robots.laposte)).toBe(true);
  });
});

describe('rate limits', () => {
  it("default to each robot's declared carrier limit", () => {
    expect(loadConfig({}, robots).rateLimits.laposte).toEqual({ max: 100, durationMs: 1000 });
  });

  it.each([
    ['100/1m', { max: 100, durationMs: 60_000 }],
    ['1400/10s', { max: 1400, durationMs: 10_000 }],
    ['5/s', { max: 5, durationMs: 1000 }],
    ['off', undefined],
  ])('read LAPOSTE_RATE_LIMIT=%s', (value, expected) => {
    expect(loadConfig({ LAPOSTE_RATE_LIMIT: value }, robots).rateLimits.laposte).toEqual(expected);
  });

  it('refuses a limit it cannot read, naming the variable', () => {
    expect(() => loadConfig({ LAPOSTE_RATE_LIMIT: 'fast' }, robots)).toThrow(/^LAPOSTE_RATE_LIMIT: expected calls per period such as 100\/1s/);
  });
});

describe('daily quotas', () => {
  it("default to each robot's declared quota: FedEx's 100,000 and DHL's 250 Track calls a day, none for the others", () => {
    const { dailyQuotas } = loadConfig({}, robots);
    expect(dailyQuotas).toMatchObject({ fedex: 100_000, dhl: 250 });
    expect(dailyQuotas.laposte).toBeUndefined();
    expect(dailyQuotas.ups).toBeUndefined();
    expect(Object.isFrozen(dailyQuotas)).toBe(true);
  });

  it('read <ROBOT>_DAILY_QUOTA for every tracking robot, off for none', () => {
    const { dailyQuotas } = loadConfig({ FEDEX_DAILY_QUOTA: '500000', DHL_DAILY_QUOTA: 'off', UPS_DAILY_QUOTA: '2000', RELAY_PORTAL_DAILY_QUOTA: '300' }, robots);
    expect(dailyQuotas).toMatchObject({ fedex: 500_000, dhl: undefined, ups: 2000, 'relay-portal': 300 });
    // A marketplace robot makes no track calls: it has no daily quota to keep.
    expect('mirakl' in dailyQuotas).toBe(false);
  });

  it.each(['0', '-5', '1.5', '100k', 'lots', '1e5'])('refuse %s with one line naming the variable', (value) => {
    expect(() => loadConfig({ DHL_DAILY_QUOTA: value }, robots)).toThrow(ConfigError);
    expect(() => loadConfig({ DHL_DAILY_QUOTA: value }, robots)).toThrow(/^DHL_DAILY_QUOTA: expected the carrier calls allowed per GMT day, a whole number such as 100000, or off$/);
  });
});
