import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { dailyQuotaVariable, rateLimitVariable } from '../config.ts';
import { startSweep } from '../jobs/sweep-session.ts';
import type { Lane } from '../jobs/track-job.ts';
import { type App, createApp } from '../main.ts';
import { deleteKeysWithPrefix } from '../infra/redis.ts';
import { RobotRegistry } from '../robot-kit/registry.ts';
import { type BenchParcel, benchParcels, benchShipments } from './bench-parcels.ts';
import { allowedCpus, type Child, cpuMs, jsonLines, peakRssMiB, pidsNamed, spawnTs, startFixtureProcess } from './processes.ts';
import { perSecond } from './stats.ts';

/** A sweep's rate, and the CPU time each part spent per parcel during it: what bounds the throughput on this machine. */
export interface SweepRate {
  parcelsPerSecond: number;
  sweepSeconds: number;
  cpuMsPerParcel: Record<'workers' | 'simulators' | 'redis' | 'postgres' | 'driver', number>;
}

export interface SweepFigures extends SweepRate {
  parcels: number;
  workerProcesses: number;
  /** BACKGROUND_CPUS, and the CPUs the background workers ran on. */
  backgroundCpus: { setting: string; cpus: string };
  /** Agents' look-ups on the idle system and during the sweep; absent on a host that serves no agents. */
  agents?: { idle: Latency; duringSweep: Latency };
  workerPeakRssMiB: number[];
  /**
   * The same parcels swept again at once, when asked (`checkAgain`): the carriers answer with the
   * events already stored, as on the nights after a parcel's first check when it has not moved.
   */
  checkedAgain?: SweepRate;
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
  /** BACKGROUND_CPUS of the background workers and of the process driving the sweep. */
  backgroundCpus: string;
  /** Agents' look-ups started per second at most, idle and during the sweep (BENCH_AGENT_RATE). */
  agentRate: number;
  /** Whether agents look parcels up, idle and during the sweep; not on a host that serves none (the nightly sweep). */
  withAgents: boolean;
  /** Whether every parcel is swept a second time after the first sweep (`checkedAgain`). */
  checkAgain: boolean;
  /** Other parcels swept first, unmeasured, to warm the processes up (BENCH_WARMUP_PARCELS); 0: none. */
  warmupParcels: number;
  workDir: string;
}

/** Agents' look-ups timed on the idle system. */
const IDLE_LOOKUPS = 300;

/**
 * The sweep end to end: `parcels` shipments across carriers in PostgreSQL, tracked by
 * `workerProcesses` real `parcelbot worker --lane background` processes against the simulators
 * (another process), each parcel through queue, robot, parse, store, verdict and rules. With
 * agents, their look-ups, served by one `parcelbot worker --lane agents` process, are timed on the
 * idle system, then while the sweep runs.
 *
 * The processes are warmed up first by a sweep of `warmupParcels` other parcels, not measured: a
 * worker that has run all day has compiled its hot code and sized its heap, one started for the
 * measure has not (a sweep of 60,000 parcels cost about 8 % more CPU per parcel without it, here).
 */
export async function measureSweep(options: SweepBenchOptions): Promise<SweepFigures> {
  const registry = await RobotRegistry.load();
  const parcels = benchParcels(registry, options.parcels);
  const measured = parcels.map((parcel) => parcel.trackingNumber);
  const isMeasured = new Set(measured);
  const warmup = benchParcels(registry, options.warmupParcels, 2).filter((parcel) => !isMeasured.has(parcel.trackingNumber));
  await mkdir(options.workDir, { recursive: true });
  const parcelsFile = path.join(options.workDir, 'parcels.json');
  await writeFile(parcelsFile, JSON.stringify([...warmup, ...parcels]));
  const fixtures = await startFixtureProcess(parcelsFile);
  // The carrier the agents' worker asks: the same simulators in a process of their own, since a real
  // carrier's answer time does not depend on this merchant's sweep (one simulator process serving the
  // sweep's hundreds of calls in flight would make a look-up wait in its queue, not in parcelbot).
  const agentsCarrier = options.withAgents ? await startFixtureProcess(parcelsFile) : undefined;
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  // The simulators' quotas are off (fixture-child.ts): parcelbot's own limits would only slow the measure down.
  const limitsOff = Object.fromEntries(registry.trackers().flatMap((robot) => [rateLimitVariable(robot.id), dailyQuotaVariable(robot.id)].map((variable) => [variable, 'off'])));
  const env: Record<string, string> = {
    ...fixtures.env,
    ...limitsOff,
    DATABASE_URL: options.databaseUrl,
    PARCELBOT_DB_SCHEMA: schema,
    REDIS_URL: options.redisUrl,
    PARCELBOT_QUEUE_PREFIX: prefix,
    WORKER_CONCURRENCY: String(options.workerConcurrency),
    BACKGROUND_CPUS: options.backgroundCpus,
    LOG_LEVEL: 'warn',
    FRESH_FOR: '0s',
  };
  const app = await createApp({ env });
  const workers: Child[] = [];
  let agentWorker: Child | undefined;
  try {
    const store = await app.store();
    const everyParcelDue = () => store.db.query(`update shipments set next_check_at = '-infinity' where tracking_number = any($1)`, [measured]);
    await store.shipments.upsertMany(benchShipments(warmup, app.clock.now(), 'WARMUP'), app.clock.now());
    for (let index = 0; index < options.workerProcesses; index++) {
      workers.push(spawnTs('src/cli/main.ts', ['worker', '--lane', 'background'], { ...process.env, ...env }));
    }
    if (agentsCarrier) agentWorker = spawnTs('src/cli/main.ts', ['worker', '--lane', 'agents'], { ...process.env, ...env, ...agentsCarrier.env });
    await waitForWorkers(app, { background: options.workerProcesses, agents: agentWorker ? 1 : 0 });
    if (warmup.length > 0) await startSweep(app, { trigger: 'manual' });
    await store.shipments.upsertMany(benchShipments(parcels, app.clock.now()), app.clock.now());
    const probeEnv = agentWorker ? await agentProbeEnv(options, parcels, { ...process.env, ...env }) : undefined;
    const agentIdle = probeEnv ? await (await startAgentProbe({ ...probeEnv, BENCH_LOOKUPS: String(IDLE_LOOKUPS) })).result : undefined;
    // The parcels the agents just looked up are due again: the sweep checks every parcel.
    await everyParcelDue();

    const during = probeEnv ? await startAgentProbe(probeEnv) : undefined;
    const parts = { workers: workers.map((worker) => worker.process.pid ?? 0), simulators: [fixtures.process.pid ?? 0], redis: [await redisServerPid(app)] };
    // This process drives the sweep, as `parcelbot sweep` or the scheduler would: at the background's priority.
    app.runAsBackground();
    const sweep = await timedSweep(app, parts, parcels.length);
    during?.process.kill('SIGTERM');
    const agentDuringSweep = await during?.result;
    let checkedAgain: SweepRate | undefined;
    if (options.checkAgain) {
      await everyParcelDue();
      checkedAgain = await timedSweep(app, parts, parcels.length);
    }
    const workerPeakRssMiB = await Promise.all(workers.map(async (worker) => (await peakRssMiB(worker.process.pid ?? 0)) ?? Number.NaN));
    return {
      parcels: parcels.length,
      workerProcesses: options.workerProcesses,
      backgroundCpus: { setting: options.backgroundCpus, cpus: (await allowedCpus(workers[0]?.process.pid ?? 0)) ?? 'unknown' },
      ...sweep,
      ...(agentIdle && agentDuringSweep ? { agents: { idle: agentIdle, duringSweep: agentDuringSweep } } : {}),
      workerPeakRssMiB,
      ...(checkedAgain ? { checkedAgain } : {}),
    };
  } finally {
    await Promise.all([...workers, ...(agentWorker ? [agentWorker] : [])].map((worker) => worker.stop()));
    await app.close();
    await fixtures.stop();
    await agentsCarrier?.stop();
    await dropSchema(options.databaseUrl, schema);
    await forgetKeys(options.redisUrl, prefix);
  }
}

type Parts = Record<'workers' | 'simulators' | 'redis', number[]>;

/** One sweep of every due parcel, driven from this process: its rate and the CPU each part spent per parcel checked. */
async function timedSweep(app: App, parts: Parts, parcelCount: number): Promise<SweepRate> {
  const cpuBefore = await cpuOf(parts);
  const postgresBefore = await postgresCpuByPid();
  const driverBefore = process.cpuUsage();
  const started = performance.now();
  const sweep = await startSweep(app, { trigger: 'manual' });
  const sweepMs = performance.now() - started;
  const driver = process.cpuUsage(driverBefore);
  const cpuAfter = await cpuOf(parts);
  const postgresMs = postgresCpuSince(postgresBefore, await postgresCpuByPid());
  if (sweep.checked + sweep.failed < parcelCount * 0.99) throw new Error(`the sweep checked ${sweep.checked} of ${parcelCount} parcels (${sweep.failed} failed)`);
  return {
    parcelsPerSecond: perSecond(sweep.checked, sweepMs),
    sweepSeconds: sweepMs / 1000,
    cpuMsPerParcel: {
      workers: (cpuAfter.workers - cpuBefore.workers) / sweep.checked,
      simulators: (cpuAfter.simulators - cpuBefore.simulators) / sweep.checked,
      redis: (cpuAfter.redis - cpuBefore.redis) / sweep.checked,
      postgres: postgresMs / sweep.checked,
      driver: (driver.user + driver.system) / 1000 / sweep.checked,
    },
  };
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

/** CPU milliseconds of each PostgreSQL process (server and backends) so far. */
async function postgresCpuByPid(): Promise<Map<number, number>> {
  const pids = await pidsNamed('postgres');
  return new Map(await Promise.all(pids.map(async (pid) => [pid, await cpuMs(pid)] as const)));
}

/**
 * PostgreSQL's CPU between two readings. Backends the workers' pools opened during the sweep count
 * from zero: most of the sweep's queries run on them. (One that also closed before the end is missed.)
 */
function postgresCpuSince(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

async function waitForWorkers(app: App, processes: Record<Lane, number>): Promise<void> {
  const online = async () => (await app.queues.workersOnline('laposte', 'background')) >= processes.background && (await app.queues.workersOnline('laposte', 'agents')) >= processes.agents;
  for (let waited = 0; !(await online()); waited += 100) {
    if (waited > 60_000) throw new Error('the worker processes did not come online within a minute');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * What the agents' probe needs: the parcels agents ask about (La Poste's, in a file) and their
 * pace. Paced as a desk asks, idle and during the sweep alike: one look-up after another as fast
 * as answers come keeps every process of the look-up's path awake (an idle look-up then takes half
 * the time a paced one does) and, during the sweep, adds a look-up's work (about 7 ms of CPU
 * across processes) some 50 times a second.
 */
async function agentProbeEnv(options: SweepBenchOptions, parcels: readonly BenchParcel[], env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const numbersFile = path.join(options.workDir, 'agent-numbers.json');
  await writeFile(numbersFile, JSON.stringify(parcels.filter((parcel) => parcel.carrier === 'laposte').map((parcel) => parcel.trackingNumber)));
  return { ...env, BENCH_AGENT_NUMBERS: numbersFile, BENCH_AGENT_RATE: String(options.agentRate) };
}

/**
 * Agents' look-ups from a process of their own (src/bench/agent-probe.ts), as the API's would be,
 * so that the sweep's own bookkeeping in this process does not delay them: ready once it listens;
 * `result` once it has made BENCH_LOOKUPS of them, or once stopped with SIGTERM.
 */
async function startAgentProbe(env: NodeJS.ProcessEnv): Promise<Child & { result: Promise<Latency> }> {
  const probe = spawnTs('src/bench/agent-probe.ts', [], env);
  const lines = jsonLines<Latency | { ready: true }>(probe);
  await lines.next();
  const result = lines.next().then((line) => {
    if (line.done || !('lookups' in line.value)) throw new Error('the agents\' probe stopped before it printed its figures');
    return line.value;
  });
  return { ...probe, result };
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
