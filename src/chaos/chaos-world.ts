import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import pg from 'pg';
import { generateNumbers } from '../../fixtures/testing/generated-numbers.ts';
import { type Child, firstJsonLine, spawnTs } from '../bench/processes.ts';
import { type App, createApp } from '../main.ts';
import { RobotRegistry } from '../robot-kit/registry.ts';
import { dropSchema } from '../store/test-database.ts';
import { type PrivateRedis, startPrivateRedis } from '../testing/private-redis.ts';
import { CHAOS_TIMEOUTS } from './fault-switch.ts';
import { type ChaosPlan, type PlanOptions, planParcels } from './parcel-plan.ts';

const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Something the run needs is missing (PostgreSQL, redis-server): said in one line, exit 2. */
export class ChaosPrerequisiteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChaosPrerequisiteError';
  }
}

/** The settings every process of the run shares, besides the simulators' (see README, "Chaos run"). */
function runSettings(schema: string, redisUrl: string, dataDir: string, databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    PARCELBOT_DB_SCHEMA: schema,
    REDIS_URL: redisUrl,
    PARCELBOT_QUEUE_PREFIX: 'chaos',
    PARCELBOT_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    WORKER_CONCURRENCY: '8',
    FOLLOWUP_CONCURRENCY: '6',
    TRACK_ATTEMPTS: '6',
    TRACK_BACKOFF_MS: '300',
    FOLLOWUP_ATTEMPTS: '6',
    FOLLOWUP_BACKOFF_MS: '300',
    // Killed workers' jobs come back within seconds, not a minute.
    TRACK_LOCK_MS: '5000',
    FOLLOWUP_LOCK_MS: '5000',
    // The simulators' own quotas are off: the run measures parcelbot, not DHL's starter tier.
    DHL_RATE_LIMIT: 'off',
    DHL_DAILY_QUOTA: 'off',
    LAPOSTE_RATE_LIMIT: 'off',
    FEDEX_RATE_LIMIT: 'off',
    RELAY_PORTAL_RATE_LIMIT: '600/1m',
    SWEEP_CRON: '*/10 * * * * *',
    CLAIM_CHECK_CRON: '*/15 * * * * *',
    MARKETPLACE_SYNC_CRON: 'off',
    SCHEDULE_GRACE: '90s',
    MERCHANT_RETURN_NAME: 'Chaos Shop Returns',
    MERCHANT_RETURN_LINE1: '12 rue de la Republique',
    MERCHANT_RETURN_POSTCODE: '69002',
    MERCHANT_RETURN_CITY: 'Lyon',
    ...CHAOS_TIMEOUTS,
  };
}

/** Everything a run stands on: its own Redis, schema, simulators, settings and this process's app. */
export interface ChaosWorld {
  plan: ChaosPlan;
  redis: PrivateRedis;
  fixturesUrl: string;
  /** The environment of every `parcelbot` process of the run. */
  env: Record<string, string>;
  /** This process's app on the run's store and queues: look-ups, checks. */
  app: App;
  workDir: string;
  logDir: string;
  /** The run's PostgreSQL schema. */
  schema: string;
  /** Stops the simulators and Redis; the schema and the work dir are dropped, or kept to look into when `keep`. */
  close(keep: boolean): Promise<void>;
}

export async function openChaosWorld(planOptions: Omit<PlanOptions, 'numbers' | 'today'>, today: string): Promise<ChaosWorld> {
  const databaseUrl = await reachablePostgres();
  const registry = await RobotRegistry.load();
  const plan = planParcels({ ...planOptions, today, numbers: (carrier, count, seed) => generateNumbers(registry.find(carrier)!, count, seed) });
  const workDir = await mkdtemp(path.join(tmpdir(), 'parcelbot-chaos-'));
  const logDir = path.join(workDir, 'logs');
  await mkdir(logDir);
  await writeFile(path.join(workDir, 'plan.json'), JSON.stringify(plan));

  const schema = `chaos_${randomBytes(5).toString('hex')}`;
  const cleanups: (() => Promise<unknown>)[] = [];
  const close = async (keep: boolean) => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    if (keep) return;
    await dropSchema(databaseUrl, schema).catch(() => {});
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const fixtures: Child = spawnTs('src/chaos/chaos-fixtures.ts', [], { ...process.env, CHAOS_PLAN: path.join(workDir, 'plan.json') });
    cleanups.push(() => fixtures.stop());
    const killFixtures = () => fixtures.process.kill('SIGKILL');
    process.once('exit', killFixtures);
    cleanups.push(async () => process.off('exit', killFixtures));
    const { url: fixturesUrl, env: simulators } = await firstJsonLine<{ url: string; env: Record<string, string> }>(fixtures, 120_000);
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...simulators, ...runSettings(schema, redis.url, path.join(workDir, 'data'), databaseUrl) };
    const app = await createApp({ env: { ...env, LOG_LEVEL: 'silent' } });
    cleanups.push(() => app.close());
    await app.store();
    return { plan, redis, fixturesUrl, env, app, workDir, logDir, schema, close };
  } catch (error) {
    await close(false);
    throw error;
  }
}

/** Imports the plan's parcels with `parcelbot import`, as an operator would; the number imported. */
export async function importPlan(world: ChaosWorld): Promise<number> {
  const file = path.join(world.workDir, 'orders.csv');
  const rows = world.plan.parcels.map((parcel, index) => ({
    tracking_number: parcel.trackingNumber,
    carrier: parcel.carrier,
    order_ref: parcel.orderRef,
    channel: 'web',
    customer_email: parcel.customerEmail,
    customer_lang: index % 4 === 0 ? 'en' : 'fr',
    declared_value: parcel.declaredValue.toFixed(2),
    currency: 'EUR',
    destination_country: 'FR',
    promised_date: parcel.promisedDate,
    customer_name: `Client ${index + 1}`,
    customer_address: `${(index % 90) + 1} rue des Lilas`,
    customer_postcode: '75011',
    customer_city: 'Paris',
  }));
  await writeFile(file, stringify(rows, { header: true }));
  const bin = path.resolve(import.meta.dirname, '../../bin/parcelbot.js');
  const { stdout } = await promisify(execFile)(process.execPath, [bin, 'import', file, '--json'], { env: world.env, maxBuffer: 64 * 1024 * 1024 });
  const report = JSON.parse(stdout) as { inserted: number; updated: number; problems: unknown[] };
  if (report.problems.length > 0) throw new Error(`the import refused rows: ${JSON.stringify(report.problems.slice(0, 3))}`);
  return report.inserted + report.updated;
}

/** DATABASE_URL when set, else the local server when it answers; else what to do, as an error. */
export async function reachablePostgres(): Promise<string> {
  const url = process.env.DATABASE_URL || LOCAL_POSTGRES;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return url;
  } catch {
    throw new ChaosPrerequisiteError(
      `the chaos run needs PostgreSQL (several workers share the store; the embedded store is one process's): ${process.env.DATABASE_URL ? 'DATABASE_URL does not answer' : `none answers at ${LOCAL_POSTGRES}`}; set DATABASE_URL to a server where it may create a schema`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}
