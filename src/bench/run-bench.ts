/**
 * `npm run bench`: parcelbot's speed on this machine, every figure measured in the same run:
 * BullMQ's and the HTTP stack's own ceilings, the sweep end to end on PostgreSQL, agents' look-up
 * latency idle and during the sweep, portal robots, memory. Prints a table and writes the figures
 * as JSON (BENCH_OUTPUT, default .data/bench/results.json). Not part of `npm test`.
 *
 * Settings: DATABASE_URL (default: the local server postgres://postgres@127.0.0.1:5432/postgres),
 * REDIS_URL (default redis://127.0.0.1:6379), BENCH_PARCELS (60000), BENCH_WORKERS (worker
 * processes, 2), BENCH_CONCURRENCY (jobs in parallel per queue in each worker, 16),
 * BENCH_AGENT_RATE (agents' look-ups started per second during the sweep, 10), BENCH_NIGHTLY_RUNS (3),
 * BENCH_WARMUP_PARCELS (20000: other parcels each measurement sweeps first, unmeasured, to warm the
 * processes up as a worker running all day is; 0 for none).
 * The sweep is measured as the nightly sweep while no agent looks parcels up (as by default,
 * BACKGROUND_CPUS=auto: then every CPU), BENCH_NIGHTLY_RUNS times, its median run reported, each run
 * followed by a sweep of the same parcels again (their events already stored, as on the nights
 * after a parcel's first check); then beside
 * agents' look-ups on every CPU (BACKGROUND_CPUS=all), then beside them as by default (all CPUs
 * but one, left to agents while they look parcels up). The sweeps follow the raw figures at once, before the portal robots:
 * this machine's speed drifts over minutes, and the ratios compare runs made close together; raw
 * BullMQ is measured again after the sweeps, to show how far it drifted meanwhile.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { RobotRegistry } from '../robot-kit/registry.ts';
import { benchParcels } from './bench-parcels.ts';
import { measureBrowserWorker } from './memory-bench.ts';
import { measurePortals } from './portal-bench.ts';
import { firstJsonLine, spawnTs, startFixtureProcess } from './processes.ts';
import { measureRawBullmq } from './raw-bullmq.ts';
import { measureRawHttp } from './raw-http.ts';
import type { SweepBenchOptions, SweepFigures, SweepRate } from './sweep-bench.ts';

const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** A count setting: a whole number of at least `least`, else the run stops before measuring anything. */
function countSetting(name: string, byDefault: number, least = 1): number {
  const value = Number(process.env[name] ?? byDefault);
  if (Number.isInteger(value) && value >= least) return value;
  process.stderr.write(`parcelbot bench: ${name} must be a whole number of at least ${least} (got "${process.env[name]}"); unset it for ${byDefault}\n`);
  process.exit(2);
}
const parcels = countSetting('BENCH_PARCELS', 60_000);
const workerProcesses = countSetting('BENCH_WORKERS', 2);
const concurrency = countSetting('BENCH_CONCURRENCY', 16);
const agentRate = countSetting('BENCH_AGENT_RATE', 10);
// Two nightly sweeps of the same code minutes apart have differed by a third here: one run is a draw, the median of three a measure.
const nightlyRuns = countSetting('BENCH_NIGHTLY_RUNS', 3);
const warmupParcels = countSetting('BENCH_WARMUP_PARCELS', 20_000, 0);
const output = process.env.BENCH_OUTPUT ?? path.resolve(process.env.PARCELBOT_DATA_DIR ?? '.data', 'bench', 'results.json');

async function reachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    return `no PostgreSQL answers at ${databaseUrl.replace(/\/\/[^@/]*@/, '//***@')} (${(error as Error).message}): the sweep benchmark runs several worker processes on one store; set DATABASE_URL`;
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.quit();
  } catch {
    redis.disconnect();
    return `no Redis answers at ${redisUrl}: start redis-server or set REDIS_URL`;
  }
  return undefined;
}

const problem = await reachable();
if (problem) {
  process.stderr.write(`parcelbot bench: ${problem}\n`);
  process.exit(2);
}

const say = (line: string) => process.stderr.write(`bench: ${line}\n`);
const registry = await RobotRegistry.load();

say('raw BullMQ: no-op jobs');
const rawBullmq = () => measureRawBullmq(() => new Redis(redisUrl, { maxRetriesPerRequest: null }), `bench-raw-${process.pid}`);
const bullmq = await rawBullmq();

say('raw HTTP: the La Poste simulator, in its own process');
const laposteNumbers = benchParcels(registry, 1000).filter((parcel) => parcel.carrier === 'laposte');
const rawFixturesFile = path.join(path.dirname(output), 'raw-parcels.json');
await mkdir(path.dirname(output), { recursive: true });
await writeFile(rawFixturesFile, JSON.stringify(laposteNumbers));
const fixtures = await startFixtureProcess(rawFixturesFile);
// The nightly sweeps check every parcel a second time (the nights after its first check); the sweeps beside agents, once.
const sweepOn = (backgroundCpus: string, withAgents: boolean): Promise<SweepFigures> => {
  say(`sweep: ${warmupParcels} parcels to warm up, then ${parcels} measured, ${workerProcesses} worker processes, PostgreSQL, BACKGROUND_CPUS=${backgroundCpus}, ${withAgents ? `agents looking up ${agentRate}/s` : 'no agents, then every parcel again'}`);
  const options: SweepBenchOptions = { databaseUrl, redisUrl, parcels, workerProcesses, workerConcurrency: concurrency, backgroundCpus, agentRate, withAgents, checkAgain: !withAgents, warmupParcels, workDir: path.join(path.dirname(output), 'sweep') };
  return firstJsonLine<SweepFigures>(spawnTs('src/bench/sweep-child.ts', [], { ...process.env, BENCH_SWEEP_OPTIONS: JSON.stringify(options) }), 15 * 60_000);
};
let http;
const nightlyRunsMeasured: SweepFigures[] = [];
let everyCpu;
let byDefault;
let bullmqAfterSweeps;
let portals;
let browser;
try {
  http = await measureRawHttp(fixtures.env.LAPOSTE_API_URL!, fixtures.env.LAPOSTE_API_KEY!, laposteNumbers.map((parcel) => parcel.trackingNumber));
  for (let run = 0; run < nightlyRuns; run += 1) nightlyRunsMeasured.push(await sweepOn('auto', false));
  everyCpu = await sweepOn('all', true);
  byDefault = await sweepOn('auto', true);
  say('raw BullMQ again: how far the machine drifted while the sweeps ran');
  bullmqAfterSweeps = await rawBullmq();
  say('portal robots: warm session, fresh browser and login, plain HTTP');
  portals = await measurePortals({ redisUrl, fixturesEnv: fixtures.env, lookups: 20, pagesInParallel: 4 });
  say('memory of a worker with a browser');
  browser = await measureBrowserWorker({ databaseUrl, redisUrl, fixturesEnv: fixtures.env, lookups: 20 });
} finally {
  await fixtures.stop();
}
/** Slowest first: the median is the middle one, and the runs print in that order. */
const slowestFirst = <Run extends SweepRate>(runs: readonly Run[]): Run[] => [...runs].sort((a, b) => a.parcelsPerSecond - b.parcelsPerSecond);
const medianOf = <Run>(sorted: readonly Run[]): Run => sorted[Math.floor(sorted.length / 2)]!;
const nightlyByRate = slowestFirst(nightlyRunsMeasured);
const nightly = medianOf(nightlyByRate);
const checkedAgainByRate = slowestFirst(
  nightlyRunsMeasured.map((run) => {
    if (!run.checkedAgain) throw new Error('a nightly sweep did not check its parcels again');
    return run.checkedAgain;
  }),
);
const checkedAgain = medianOf(checkedAgainByRate);
const agentsOf = (sweep: SweepFigures) => {
  if (!sweep.agents) throw new Error('a sweep beside agents timed no look-up');
  return { ...sweep.agents, p99ToIdle: sweep.agents.duringSweep.p99Ms / sweep.agents.idle.p99Ms };
};
const [everyCpuAgents, byDefaultAgents] = [agentsOf(everyCpu), agentsOf(byDefault)];

const results = {
  machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  settings: { parcels, warmupParcels, workerProcesses, concurrency, agentRate, nightlyRuns },
  rawBullmq: bullmq,
  rawBullmqAfterSweeps: bullmqAfterSweeps,
  rawHttp: http,
  sweepNightly: nightly,
  sweepNightlyRunsParcelsPerSecond: nightlyByRate.map((run) => run.parcelsPerSecond),
  sweepNightlyCheckedAgain: checkedAgain,
  sweepNightlyCheckedAgainRunsParcelsPerSecond: checkedAgainByRate.map((run) => run.parcelsPerSecond),
  sweepBesideAgentsEveryCpu: everyCpu,
  sweepBesideAgentsByDefault: byDefault,
  ratios: {
    sweepToRawBullmq: nightly.parcelsPerSecond / bullmq.processedPerSecond,
    sweepToRawHttp: nightly.parcelsPerSecond / http.requestsPerSecond,
    agentP99DuringSweepToIdleEveryCpu: everyCpuAgents.p99ToIdle,
    agentP99DuringSweepToIdleByDefault: byDefaultAgents.p99ToIdle,
    warmBrowserToFresh: portals.warmBrowserPerSecond / portals.freshBrowserPerSecond,
    httpToFreshBrowser: portals.httpPerSecond / portals.freshBrowserPerSecond,
  },
  portals,
  memory: { workerWithoutBrowserPeakRssMiB: Math.max(...[...nightlyRunsMeasured, everyCpu, byDefault].flatMap((sweep) => sweep.workerPeakRssMiB)), workerWithBrowserPeakRssMiB: browser.workerPeakRssMiB, browserPssMiB: browser.browserPssMiB },
};
await writeFile(output, `${JSON.stringify(results, null, 2)}\n`);

const n = (value: number, digits = 0) => value.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const cpuInAll = (sweep: SweepRate) => n(Object.values(sweep.cpuMsPerParcel).reduce((sum, ms) => sum + ms, 0), 2);
const { cpuMsPerParcel: cpu } = nightly;
const rows: [string, string, string][] = [
  ['raw BullMQ, no-op jobs', `${n(bullmq.processedPerSecond)} jobs/s`, `added ${n(bullmq.addedPerSecond)}/s in bulk; ${n(bullmqAfterSweeps.processedPerSecond)} jobs/s after the sweeps`],
  ['raw HTTP to the La Poste simulator', `${n(http.requestsPerSecond)} req/s`, `${http.concurrency} in flight`],
  ['sweep, nightly (PostgreSQL)', `${n(nightly.parcelsPerSecond)} parcels/s`, `${n(nightly.parcels)} parcels in ${n(nightly.sweepSeconds, 1)} s after ${n(warmupParcels)} to warm up, no agents, background on CPUs ${nightly.backgroundCpus.cpus}; target 3,000`],
  ['  runs, the median above', nightlyByRate.map((run) => n(run.parcelsPerSecond)).join(', '), `parcels/s, ${nightlyByRate.length} nightly sweeps one after another`],
  ['  sweep / raw BullMQ, / raw HTTP', `${n(results.ratios.sweepToRawBullmq, 3)}, ${n(results.ratios.sweepToRawHttp, 3)}`, ''],
  ['  CPU per parcel: workers, simulators', `${n(cpu.workers, 2)} ms, ${n(cpu.simulators, 2)} ms`, `PostgreSQL ${n(cpu.postgres, 2)} ms, Redis ${n(cpu.redis, 2)} ms, driver ${n(cpu.driver, 2)} ms; ${cpuInAll(nightly)} ms in all`],
  ['sweep, nightly, every parcel again', `${n(checkedAgain.parcelsPerSecond)} parcels/s`, `the same parcels at once, their events already stored; CPU per parcel ${cpuInAll(checkedAgain)} ms in all`],
  ['  runs, the median above', checkedAgainByRate.map((run) => n(run.parcelsPerSecond)).join(', '), 'parcels/s, each right after its nightly sweep'],
  ...([[everyCpu, everyCpuAgents], [byDefault, byDefaultAgents]] as const).flatMap(([sweep, agents]): [string, string, string][] => [
    [`sweep beside agents, BACKGROUND_CPUS=${sweep.backgroundCpus.setting}`, `${n(sweep.parcelsPerSecond)} parcels/s`, `background on CPUs ${sweep.backgroundCpus.cpus}; CPU per parcel ${cpuInAll(sweep)} ms in all`],
    ['  agent look-up, idle', `p50 ${n(agents.idle.p50Ms)} ms, p99 ${n(agents.idle.p99Ms)} ms`, `${agents.idle.lookups} look-ups, ${agentRate}/s at most`],
    ['  agent look-up, during that sweep', `p50 ${n(agents.duringSweep.p50Ms)} ms, p99 ${n(agents.duringSweep.p99Ms)} ms`, `p99 x${n(agents.p99ToIdle, 1)} idle (target <= 2); ${agents.duringSweep.lookups} look-ups`],
  ]),
  ['portal, warm session, 4 pages', `${n(portals.warmBrowserPerSecond, 1)} look-ups/s`, `x${n(results.ratios.warmBrowserToFresh, 1)} fresh (target >= 5); one at a time ${n(portals.warmBrowserSequentialPerSecond, 1)}/s`],
  ['portal, fresh browser + login each', `${n(portals.freshBrowserPerSecond, 2)} look-ups/s`, ''],
  ['portal over plain HTTP', `${n(portals.httpPerSecond)} look-ups/s`, `x${n(results.ratios.httpToFreshBrowser)} fresh browser (target >= 100)`],
  ['worker peak RSS, no browser', `${n(results.memory.workerWithoutBrowserPeakRssMiB)} MiB`, 'during the sweeps'],
  ['worker peak RSS, with a browser', `${n(results.memory.workerWithBrowserPeakRssMiB)} MiB`, `+ browser ${n(results.memory.browserPssMiB)} MiB (PSS)`],
];
const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
process.stdout.write(`parcelbot bench (${results.machine.cpus} CPUs, ${results.machine.memoryGiB} GiB, Node ${results.machine.node})\n`);
for (const [what, figure, note] of rows) process.stdout.write(`${what.padEnd(widths[0]!)}  ${figure.padEnd(widths[1]!)}  ${note}\n`);
process.stdout.write(`figures written to ${output}\n`);
process.exit(0);
