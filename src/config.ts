import { z } from 'zod';
import { webSettingsShape } from './api/web-settings.ts';
import { BACKGROUND_CPUS_PATTERN } from './infra/background-cpus.ts';
import { redisDatabaseOf } from './infra/redis-database.ts';
import { wholeNumber } from './infra/whole-number.ts';
import type { RateLimit, RobotDefinition } from './robot-kit/define-robot.ts';
import { scheduleSettings } from './schedule/schedule-settings.ts';

/** Jobs in parallel per queue in one worker: WORKER_CONCURRENCY and `worker --concurrency`. */
export const MAX_WORKER_CONCURRENCY = 500;

/**
 * A server's URL with these schemes that reads whole. A password holding / ? # ends the host
 * early: the URL does not parse, or the rest of the password reads as its path (with the @).
 * A % that starts no code (%zz) parses, then the driver fails to decode it ("URI malformed").
 */
function serviceUrl(scheme: RegExp, expected: string) {
  return z
    .string()
    .regex(scheme, expected)
    .refine(readsWhole, 'not a valid URL: percent-encode the user name and password (/ as %2F, @ as %40, : as %3A, # as %23, ? as %3F, % as %25)');
}

function readsWhole(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { username, password, pathname, search, hash } = new URL(url);
  return decodes(username) && decodes(password) && !`${pathname}${search}${hash}`.includes('@');
}

function decodes(encoded: string): boolean {
  try {
    decodeURIComponent(encoded);
    return true;
  } catch {
    return false;
  }
}

/** ioredis sends whatever follows the port to SELECT: `/abc` is SELECT NaN, an uncaught error. */
function namesDatabaseByNumber(url: string): boolean {
  return !readsWhole(url) || /^\d*$/.test(redisDatabaseOf(url));
}

/**
 * The core settings. Robots add their own (e.g. LAPOSTE_API_KEY) through their `config` schema;
 * `loadConfig` reads the environment once, through both, at start.
 */
const coreSchema = z.object({
  DATABASE_URL: serviceUrl(/^postgres(ql)?:\/\//, 'expected a PostgreSQL URL such as postgres://user@127.0.0.1:5432/parcelbot').optional(),
  PARCELBOT_DATA_DIR: z.string().min(1).default('./.data'),
  PARCELBOT_DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a lower-case SQL identifier such as public or parcelbot')
    .default('public'),
  REDIS_URL: serviceUrl(/^rediss?:\/\//, 'expected a Redis URL such as redis://127.0.0.1:6379')
    .refine(namesDatabaseByNumber, 'the database after the port (or in ?db=) must be a number, such as redis://127.0.0.1:6379/0')
    .optional(),
  PARCELBOT_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'expected 1 to 40 letters, digits, - or _')
    .default('parcelbot'),
  WORKER_CONCURRENCY: wholeNumber(1, MAX_WORKER_CONCURRENCY).default(16),
  // The CPUs background processes run on (src/infra/background-cpus.ts): by default all but one, left to agents.
  BACKGROUND_CPUS: z
    .string()
    .regex(BACKGROUND_CPUS_PATTERN, 'expected auto, all, or a list of CPU numbers such as 0 or 0-2,5')
    .refine((value) => [...value.matchAll(/(\d+)-(\d+)/g)].every(([, first, last]) => Number(first) <= Number(last)), 'expected CPU ranges from the lower number to the higher, such as 0-2')
    .default('auto'),
  // PostgreSQL connections per process; background processes (sweeps, checks, follow-ups) take fewer (src/main.ts).
  DATABASE_POOL_SIZE: wholeNumber(1, 100).default(10),
  // One: each of a sweep's connections is a busy PostgreSQL process beside the agents' statements;
  // with two per worker the agents' p99 during a sweep was about a quarter higher (README, Benchmarks).
  BACKGROUND_DATABASE_POOL_SIZE: wholeNumber(1, 100).default(1),
  // Off behind a connection pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21).
  DATABASE_PREPARED_STATEMENTS: z.enum(['on', 'off'], { error: 'expected on or off' }).default('on'),
  // The longest a PostgreSQL statement may run; a server that never answers is given up 5 s later (src/store/postgres-database.ts).
  DATABASE_STATEMENT_TIMEOUT_MS: wholeNumber(1000, 86_400_000, ' (milliseconds)').default(900_000),
  // The part of each carrier's rate limit kept for agents' look-ups (src/jobs/job-size.ts); sweeps get the rest.
  AGENT_RATE_SHARE: wholeNumber(1, 90, ' (percent)').default(20),
  TRACK_ATTEMPTS: wholeNumber(1, 20).default(5),
  TRACK_BACKOFF_MS: wholeNumber(10, 600_000, ' (milliseconds)').default(2000),
  TRACK_LOCK_MS: wholeNumber(500, 600_000, ' (milliseconds)').default(30_000),
  PARCELBOT_CHROMIUM: z.string().min(1).optional(),
  PORTAL_MAX_PAGES: wholeNumber(1, 64).default(4),
  PORTAL_SESSION_TTL_MS: wholeNumber(60_000, 7 * 24 * 3_600_000, ' (milliseconds)').default(8 * 3_600_000),
  PORTAL_TIMEOUT_MS: wholeNumber(1000, 300_000, ' (milliseconds)').default(15_000),
  // Rules (src/rules/): the file, and the named thresholds it refers to (README, "Promises and rules").
  PARCELBOT_RULES: z.string().min(1).optional(),
  AUTO_REFUND_MAX: z.coerce
    .number({ error: 'expected an amount in EUR such as 30 or 49.90' })
    .min(0, { error: 'expected an amount in EUR from 0 to 100000' })
    .max(100_000, { error: 'expected an amount in EUR from 0 to 100000' })
    .default(30),
  CONTACTS_TARGET: wholeNumber(0, 100, ' (customer contacts)').default(2),
  RESOLUTION_TARGET_DAYS: wholeNumber(1, 60, ' (business days)').default(5),
  MARKETPLACE_SYNC_LOOKBACK_DAYS: wholeNumber(1, 365, ' (days)').default(30),
  // Customer e-mails (src/followups/email). Optional: an e-mail follow-up without them fails, never the start.
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, 'expected an SMTP URL such as smtp://user:password@smtp.example.com:587 (smtps:// for TLS from the first byte)')
    .optional(),
  SMTP_FROM: z
    .string()
    .regex(/^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, 'expected the sender, e.g. "Service client <service-client@shop.example>"')
    .optional(),
  SMTP_TIMEOUT_MS: wholeNumber(1000, 300_000, ' (milliseconds)').default(30_000),
  // Where customers send returns (the addressee of a carrier return label): all of name, line 1, postcode and city, or none.
  MERCHANT_RETURN_NAME: z.string().trim().min(1).max(100).optional(),
  MERCHANT_RETURN_LINE1: z.string().trim().min(1).max(100).optional(),
  MERCHANT_RETURN_LINE2: z.string().trim().min(1).max(100).optional(),
  MERCHANT_RETURN_POSTCODE: z.string().trim().regex(/^[A-Za-z0-9 -]{2,10}$/, 'expected a postcode such as 69002').optional(),
  MERCHANT_RETURN_CITY: z.string().trim().min(1).max(60).optional(),
  MERCHANT_RETURN_COUNTRY: z.string().regex(/^[A-Z]{2}$/, 'expected a 2-letter ISO 3166 country code such as FR').default('FR'),
  MERCHANT_RETURN_PHONE: z.string().regex(/^\+?[0-9 .()-]{6,20}$/, 'expected a phone number such as +33478000000').optional(),
  // Carrier claim windows (src/followups/claims): the shipped, sourced file unless another is given.
  CLAIM_WINDOWS_FILE: z.string().min(1).optional(),
  CLAIM_WINDOW_ALERT_DAYS: wholeNumber(0, 60, ' (days)').default(2),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  // Follow-ups (src/followups/): the merchant's order system, the approval threshold, the follow-up worker.
  OMS_URL: z.url({ protocol: /^https?$/, error: "expected the order system's http(s) address, e.g. https://oms.example.com/api" }).optional(),
  OMS_API_KEY: z.string().min(1).optional(),
  OMS_TIMEOUT_MS: wholeNumber(100, 300_000, ' (milliseconds)').default(10_000),
  FOLLOWUP_APPROVAL_ABOVE: z.coerce
    .number({ error: 'expected an amount such as 100 or 49.90' })
    .min(0, { error: 'expected an amount such as 100 or 49.90' })
    .default(100),
  FOLLOWUP_ATTEMPTS: wholeNumber(1, 20).default(5),
  FOLLOWUP_BACKOFF_MS: wholeNumber(10, 3_600_000, ' (milliseconds)').default(5000),
  FOLLOWUP_CONCURRENCY: wholeNumber(1, 100).default(4),
  FOLLOWUP_LOCK_MS: wholeNumber(500, 600_000, ' (milliseconds)').default(30_000),
  ...scheduleSettings,
  ...webSettingsShape,
});

export type CoreConfig = z.infer<typeof coreSchema>;

export interface Config {
  core: Readonly<CoreConfig>;
  /** Each robot's parsed settings, by robot id. */
  robots: Readonly<Record<string, unknown>>;
  /** Each tracking or marketplace robot's call rate: its default, or `<ID>_RATE_LIMIT`. */
  rateLimits: Readonly<Record<string, RateLimit | undefined>>;
  /** Each tracking robot's carrier calls per GMT day: its declared quota, or `<ID>_DAILY_QUOTA`; undefined for none. */
  dailyQuotas: Readonly<Record<string, number | undefined>>;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A robot's core setting: `LAPOSTE_RATE_LIMIT` for robot `laposte` and setting `RATE_LIMIT`, `RELAY_PORTAL_DAILY_QUOTA` for `relay-portal`. */
function robotVariable(robotId: string, setting: 'RATE_LIMIT' | 'DAILY_QUOTA'): string {
  return `${robotId.toUpperCase().replace(/-/g, '_')}_${setting}`;
}

export const rateLimitVariable = (robotId: string): string => robotVariable(robotId, 'RATE_LIMIT');
export const dailyQuotaVariable = (robotId: string): string => robotVariable(robotId, 'DAILY_QUOTA');

/** `100/1s`, `1400/10s`, `250/1h` or `5/s`; `off` for none. */
export function parseRateLimit(variable: string, value: string): RateLimit | undefined {
  if (value === 'off') return undefined;
  const match = /^(\d+)\/(\d*)(ms|s|m|h)$/.exec(value.trim());
  const max = Number(match?.[1]);
  const durationMs = Number(match?.[2] || 1) * (UNIT_MS[match?.[3] ?? ''] ?? 0);
  if (!match || max < 1 || durationMs < 1) throw new ConfigError(`${variable}: expected calls per period such as 100/1s, 1400/10s or 250/1h, or off`);
  return { max, durationMs };
}

/** `100000` calls per GMT day (a whole number, at least 1); `off` for none. */
export function parseDailyQuota(variable: string, value: string): number | undefined {
  if (value === 'off') return undefined;
  const calls = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(calls) || calls < 1) throw new ConfigError(`${variable}: expected the carrier calls allowed per GMT day, a whole number such as 100000, or off`);
  return calls;
}

/** A setting is wrong or missing: the one-line message names the variable and what it expects. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** An empty variable (`FOO=` in a .env file) means "not set", not "set to nothing". */
function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

function parseOrThrow<T>(schema: z.ZodType<T>, env: Record<string, string>): T {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = String(issue?.path[0] ?? 'environment');
  // Values are never echoed: a misplaced secret must not reach a terminal or a log.
  throw new ConfigError(`${variable}: ${issue?.message ?? 'invalid value'}`);
}

export function loadConfig(env: NodeJS.ProcessEnv, robots: readonly RobotDefinition[]): Config {
  const values = withoutEmptyValues(env);
  const core = Object.freeze(parseOrThrow(coreSchema, values));
  const robotConfigs = Object.fromEntries(robots.map((robot) => [robot.id, Object.freeze(parseOrThrow(robot.config, values))]));
  const rateLimits = Object.fromEntries(
    robots
      .filter((robot) => robot.capabilities.track || robot.capabilities.orders)
      .map((robot) => {
        const variable = rateLimitVariable(robot.id);
        const value = values[variable];
        const rateLimit = robot.capabilities.track?.rateLimit ?? robot.capabilities.orders?.rateLimit;
        return [robot.id, value === undefined ? rateLimit : parseRateLimit(variable, value)];
      }),
  );
  const dailyQuotas = Object.fromEntries(
    robots.flatMap((robot) => {
      const track = robot.capabilities.track;
      if (!track) return [];
      const variable = dailyQuotaVariable(robot.id);
      const value = values[variable];
      return [[robot.id, value === undefined ? track.dailyQuota : parseDailyQuota(variable, value)]];
    }),
  );
  return Object.freeze({ core, robots: Object.freeze(robotConfigs), rateLimits: Object.freeze(rateLimits), dailyQuotas: Object.freeze(dailyQuotas) });
}
