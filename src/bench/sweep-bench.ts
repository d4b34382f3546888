import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { startSweep } from '../jobs/sweep-session.ts';
import type { Lane } from '../jobs/track-job.ts';
import { type App, createApp } from '../main.ts';
import { deleteKeysWithPrefix } from '../infra/redis.ts';
import { RobotRegistry } from '../robot-kit/registry.ts';
import { benchParcels, benchShipments } from './bench-parcels.ts';
import { type Child, cpuMs, peakRssMiB, pidsNamed, spawnTs, startFixtureProcess } from './processes.ts';
import { percentile, perSecond } from './stats.ts';

export interface SweepFigures {
  parcels: number;
  workerProcesses: number;
  parcelsPerSecond: number;
  sweepSeconds: number;
  agentIdle: Latency;
  agentDuringSweep: Latency;
  workerPeakRssMiB: number[];
  /** CPU time each part spent per parcel during the sweep: what bounds the throughput on this machine. */
  cpuMsPerParcel: Record<'workers' | 'simulators' | 'redis' | 'postgres' | 'driver', number>;
}

export interface Latency {
  lookups: number;
  p50Ms: number;
  p99Ms: number;
}

export interface SweepBenchOptions {
  databaseUrl: string;
  redisUrl: string;
  parcels: number;
  workerProcesses: number;
  workerConcurrency: number;
  workDir: string;
}

/**
 * The sweep end to end: `parcels` shipments across carriers in PostgreSQL, tracked by
 * `workerProcesses` real `parcelbot worker --lane background` processes against the simulators
 * (another process), each parcel through queue, robot, parse, store, verdict and rules. Agents'
 * look-ups, served by one `parcelbot worker --lane agents` process, are timed on the idle system,
 * then while the sweep runs.
 */
export async function measureSweep(options: SweepBenchOptions): Promise<SweepFigures> {
  const registry = await RobotRegistry.load();
  const parcels = benchParcels(registry, options.parcels);
  await mkdir(options.workDir, { recursive: true });
  const parcelsFile = path.join(options.workDir, 'parcels.json');
  await writeFile(parcelsFile, JSON.stringify(parcels));
  const fixtures = await startFixtureProcess(parcelsFile);
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const rateLimitsOff = Object.fromEntries(registry.trackers().map((robot) => [`${robot.id.toUpperCase().replace(/-/g, '_')}_RATE_LIMIT`, 'off']));
  const env: Record<string, string> = {
    ...fixtures.env,
    ...rateLimitsOff,
    DATABASE_URL: options.databaseUrl,
    PARCELBOT_DB_SCHEMA: schema,
    REDIS_URL: options.redisUrl,
    PARCELBOT_QUEUE_PREFIX: prefix,
    WORKER_CONCURRENCY: String(options.workerConcurrency),
    LOG_LEVEL: 'warn',
    FRESH_FOR: '0s',
  };
  const app = await createApp({ env });
  const workers: Child[] = [];
  let agentWorker: Child | undefined;
  try {
    const store = await app.store();
    await store.shipments.upsertMany(benchShipments(parcels, app.clock.now()), app.clock.now());
    for (let index = 0; index < options.workerProcesses; index++) {
      workers.push(spawnTs('src/cli/main.ts', ['worker', '--lane', 'background'], { ...process.env, ...env }));
    }
    agentWorker = spawnTs('src/cli/main.ts', ['worker', '--lane', 'agents'], { ...process.env, ...env });
    await waitForWorkers(app, { background: options.workerProcesses, agents: 1 });
    const agentNumbers = parcels.filter((parcel) => parcel.carrier === 'laposte').map((parcel) => parcel.trackingNumber);
    const agentIdle = await timeLookups(app, agentNumbers, () => false, 200);
    // The parcels the agents just looked up are due again: the sweep checks every parcel.
    await store.db.query(`update shipments set next_check_at = '-infinity'`);

    let sweeping = true;
    const during = timeLookups(app, agentNumbers, () => !sweeping, Number.POSITIVE_INFINITY);
    const redisPid = await redisServerPid(app);
    const parts = { workers: workers.map((worker) => worker.process.pid ?? 0), simulators: [fixtures.process.pid ?? 0], redis: [redisPid], postgres: await pidsNamed('postgres') };
    const cpuBefore = await cpuOf(parts);
    const driverBefore = process.cpuUsage();
    const started = performance.now();
    const sweep = await startSweep(app, { trigger: 'manual' });
    const sweepMs = performance.now() - started;
    const driver = process.cpuUsage(driverBefore);
    const cpuAfter = await cpuOf(parts);
    sweeping = false;
    const agentDuringSweep = await during;
    if (sweep.checked + sweep.failed < parcels.length * 0.99) throw new Error(`the sweep checked ${sweep.checked} of ${parcels.length} parcels (${sweep.failed} failed)`);
    const workerPeakRssMiB = await Promise.all(workers.map(async (worker) => (await peakRssMiB(worker.process.pid ?? 0)) ?? Number.NaN));
    return {
      parcels: parcels.length,
      workerProcesses: options.workerProcesses,
      parcelsPerSecond: perSecond(sweep.checked, sweepMs),
      sweepSeconds: sweepMs / 1000,
      agentIdle,
      agentDuringSweep,
      workerPeakRssMiB,
      cpuMsPerParcel: {
        workers: (cpuAfter.workers - cpuBefore.workers) / sweep.checked,
        simulators: (cpuAfter.simulators - cpuBefore.simulators) / sweep.checked,
        redis: (cpuAfter.redis - cpuBefore.redis) / sweep.checked,
        postgres: (cpuAfter.postgres - cpuBefore.postgres) / sweep.checked,
        driver: (driver.user + driver.system) / 1000 / sweep.checked,
      },
    };
  } finally {
    await Promise.all([...workers, ...(agentWorker ? [agentWorker] : [])].map((worker) => worker.stop()));
    await app.close();
    await fixtures.stop();
    await dropSchema(options.databaseUrl, schema);
    await forgetKeys(options.redisUrl, prefix);
  }
}

async function redisServerPid(app: App): Promise<number> {
  const redis = app.redis.connect();
  try {
    return Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]);
  } finally {
    await redis.quit();
  }
}

/** CPU milliseconds used so far by each part's processes, summed. */
async function cpuOf<Part extends string>(parts: Record<Part, number[]>): Promise<Record<Part, number>> {
  const entries = await Promise.all(
    Object.entries<number[]>(parts).map(async ([part, pids]) => [part, (await Promise.all(pids.map(cpuMs))).reduce((sum, ms) => sum + ms, 0)] as const),
  );
  return Object.fromEntries(entries) as Record<Part, number>;
}

async function waitForWorkers(app: App, processes: Record<Lane, number>): Promise<void> {
  const online = async () => (await app.queues.workersOnline('laposte', 'background')) >= processes.background && (await app.queues.workersOnline('laposte', 'agents')) >= processes.agents;
  for (let waited = 0; !(await online()); waited += 100) {
    if (waited > 60_000) throw new Error('the worker processes did not come online within a minute');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Agents' look-ups one after the other (asking the carrier each time), until `done()` or `most` of them. */
async function timeLookups(app: App, numbers: readonly string[], done: () => boolean, most: number): Promise<Latency> {
  const events = await app.queues.queueEvents('laposte', 'agents');
  const samples: number[] = [];
  for (let index = 0; index < most && !done(); index++) {
    const started = performance.now();
    const job = await app.queues.addAgentLookup('laposte', numbers[index % numbers.length]!, 'bench-agent', { refresh: true });
    await job.waitUntilFinished(events, 60_000);
    samples.push(performance.now() - started);
  }
  return { lookups: samples.length, p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99) };
}

async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}

async function forgetKeys(redisUrl: string, prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl);
  await deleteKeysWithPrefix(redis, prefix);
  await redis.quit();
}
