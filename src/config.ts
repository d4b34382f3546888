import { z } from 'zod';
import { webSettingsShape } from './api/web-settings.ts';
import type { RateLimit, RobotDefinition } from './robot-kit/define-robot.ts';

/** A whole number within bounds, with a message that says so whatever was typed. */
function wholeNumber(min: number, max: number, unit = ''): z.ZodCoercedNumber {
  const message = `expected a whole number from ${min} to ${max}${unit}`;
  return z.coerce.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
}

/**
 * The core settings. Robots add their own (e.g. LAPOSTE_API_KEY) through their `config` schema;
 * `loadConfig` reads the environment once, through both, at start.
 */
const coreSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a PostgreSQL URL such as postgres://user@127.0.0.1:5432/parcelbot')
    .optional(),
  PARCELBOT_DATA_DIR: z.string().min(1).default('./.data'),
  PARCELBOT_DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a lower-case SQL identifier such as public or parcelbot')
    .default('public'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'expected a Redis URL such as redis://127.0.0.1:6379')
    .optional(),
  PARCELBOT_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'expected 1 to 40 letters, digits, - or _')
    .default('parcelbot'),
  WORKER_CONCURRENCY: wholeNumber(1, 500).default(16),
  TRACK_ATTEMPTS: wholeNumber(1, 20).default(5),
  TRACK_BACKOFF_MS: wholeNumber(10, 600_000, ' (milliseconds)').default(2000),
  PARCELBOT_CHROMIUM: z.string().min(1).optional(),
  PORTAL_MAX_PAGES: wholeNumber(1, 64).default(4),
  PORTAL_SESSION_TTL_MS: wholeNumber(60_000, 7 * 24 * 3_600_000, ' (milliseconds)').default(8 * 3_600_000),
  PORTAL_TIMEOUT_MS: wholeNumber(1000, 300_000, ' (milliseconds)').default(15_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  ...webSettingsShape,
});

export type CoreConfig = z.infer<typeof coreSchema>;

export interface Config {
  core: Readonly<CoreConfig>;
  /** Each robot's parsed settings, by robot id. */
  robots: Readonly<Record<string, unknown>>;
  /** Each tracking robot's call rate: its default, or `<ID>_RATE_LIMIT`. */
  rateLimits: Readonly<Record<string, RateLimit | undefined>>;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `LAPOSTE_RATE_LIMIT` for robot `laposte`, `RELAY_PORTAL_RATE_LIMIT` for `relay-portal`. */
export function rateLimitVariable(robotId: string): string {
  return `${robotId.toUpperCase().replace(/-/g, '_')}_RATE_LIMIT`;
}

/** `100/1s`, `1400/10s`, `250/1h` or `5/s`; `off` for none. */
export function parseRateLimit(variable: string, value: string): RateLimit | undefined {
  if (value === 'off') return undefined;
  const match = /^(\d+)\/(\d*)(ms|s|m|h)$/.exec(value.trim());
  const max = Number(match?.[1]);
  const durationMs = Number(match?.[2] || 1) * (UNIT_MS[match?.[3] ?? ''] ?? 0);
  if (!match || max < 1 || durationMs < 1) throw new ConfigError(`${variable}: expected calls per period such as 100/1s, 1400/10s or 250/1h, or off`);
  return { max, durationMs };
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
      .filter((robot) => robot.capabilities.track)
      .map((robot) => {
        const variable = rateLimitVariable(robot.id);
        const value = values[variable];
        return [robot.id, value === undefined ? robot.capabilities.track?.rateLimit : parseRateLimit(variable, value)];
      }),
  );
  return Object.freeze({ core, robots: Object.freeze(robotConfigs), rateLimits: Object.freeze(rateLimits) });
}
