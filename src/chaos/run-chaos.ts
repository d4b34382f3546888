/**
 * `npm run chaos` (README, "Guarantees"): thousands of parcels through two workers and a
 * scheduler while the simulators fail, workers are SIGKILLed, Redis and the scheduler restart;
 * then the store, Redis and the simulators' own counters are checked. Prints a table of figures
 * and exits 1 on any breach, 2 when PostgreSQL or redis-server is missing.
 * `npm run chaos -- --short` (or CHAOS_SHORT=1) is the CI version, about two minutes.
 */
import { pathToFileURL } from 'node:url';
import { mulberry32 } from '../../fixtures/testing/generated-numbers.ts';
import { localDay } from '../domain/local-time.ts';
import { systemClock } from '../infra/clock.ts';
import { RedisServerMissingError } from '../testing/private-redis.ts';
import { type AskedLookup, deliverLater, runAgentLookups } from './agent-traffic.ts';
import { killAllRoles, Role } from './cast.ts';
import { runScript } from './chaos-script.ts';
import { ChaosPrerequisiteError, importPlan, openChaosWorld } from './chaos-world.ts';
import { drain } from './drain.ts';
import { effectChecks } from './effect-checks.ts';
import { FaultSwitch } from './fault-switch.ts';
import { type Figure, formatFigures, info, mustBeNone } from './figures.ts';
import { memoryFigures, queueChecks } from './queue-checks.ts';
import { storeChecks } from './store-checks.ts';

export interface ChaosOptions {
  parcels: number;
  portalParcels: number;
  deliveredLater: number;
  /** SIGKILLs of a worker during the chaos. */
  kills: number;
  /** How long faults and kills go on, from the start of the workers. */
  chaosMs: number;
  /** How long the run may take to settle afterwards before what is left counts as stuck. */
  drainMs: number;
  seed: number;
  /** Keep the schema, logs and plan even after a clean run, to look into them. */
  keep?: boolean;
}

export const FULL_RUN: ChaosOptions = { parcels: 5000, portalParcels: 30, deliveredLater: 20, kills: 5, chaosMs: 150_000, drainMs: 600_000, seed: 1 };
export const SHORT_RUN: ChaosOptions = { parcels: 600, portalParcels: 4, deliveredLater: 4, kills: 2, chaosMs: 35_000, drainMs: 150_000, seed: 1 };

export interface ChaosResult {
  figures: Figure[];
  breaches: Figure[];
  /** Logs and plan, kept when something was breached. */
  workDir: string;
  /** The run's PostgreSQL schema, kept when something was breached. */
  schema: string;
  /** Whether the schema and the files were kept. */
  kept: boolean;
}

export async function runChaos(options: ChaosOptions, say: (line: string) => void = () => {}): Promise<ChaosResult> {
  const started = systemClock.now().getTime();
  const world = await openChaosWorld({ size: options.parcels, seed: options.seed, portalParcels: options.portalParcels, deliveredLater: options.deliveredLater }, localDay(systemClock.now().toISOString()));
  let breached = true;
  const roles: Role[] = [];
  try {
    const { app, env, logDir } = world;
    say(`importing ${world.plan.parcels.length} parcels (store: schema ${world.schema}; logs and plan: ${world.workDir}; both dropped after a clean run)`);
    const imported = await importPlan(world);
    const usedBefore = await world.redis.usedMemory();
    const faults = new FaultSwitch(world.fixturesUrl);
    await faults.on();
    const workers = [new Role('worker-a', ['worker'], env, logDir), new Role('worker-b', ['worker'], env, logDir)];
    const scheduler = new Role('scheduler', ['scheduler'], env, logDir);
    roles.push(...workers, scheduler);
    await Promise.all(roles.map((role) => role.start()));
    say('two workers and the scheduler are up; chaos on');

    const random = mulberry32(options.seed + 7);
    const asked: AskedLookup[] = [];
    const stopTraffic = new AbortController();
    // Settled, not awaited yet: a failure of one must not end the process before the others stop.
    const lookups = settle(runAgentLookups(app, world.plan.parcels, options.chaosMs, random, asked, stopTraffic.signal));
    const twice = settle(deliverLater(app, world.fixturesUrl, world.plan.parcels, asked, stopTraffic.signal));
    const script = await settle(runScript({ workers, scheduler, redis: world.redis, faults, durationMs: options.chaosMs, kills: options.kills, random, say }, stopTraffic.signal));
    if (!script.ok) stopTraffic.abort();
    const traffic = await lookups;
    await faults.off();
    say('chaos off; waiting for the work to settle');
    const leftOver = script.ok && traffic.ok ? await drain(app, asked, options.drainMs, say) : 'the run stopped early';
    stopTraffic.abort();
    const delivered = await twice;
    const schedulerExit = await scheduler.stop();
    const leftAfterScheduler = leftOver ?? (await drain(app, asked, 60_000, say));
    const workerExits = await Promise.all(workers.map((worker) => worker.stop()));
    const log = valueOf(script);
    valueOf(traffic);
    const switched = valueOf(delivered);
    const usedAfter = await world.redis.usedMemory();

    const figures: Figure[] = [
      info('run', 'parcels imported', imported),
      info('run', 'worker SIGKILLs (restarted)', log.workerKills.join(', ') || '-'),
      info('run', 'Redis restarts / scheduler restarts', `${log.redisRestarts} / ${log.schedulerRestarts}`),
      info('run', '429 bursts / portal layout changes / SMTP refusals', `${faults.counts.bursts} / ${faults.counts.layoutChanges} / ${faults.counts.smtpRefusals}`),
      info('run', 'parcels delivered later (delivered-twice cases)', switched.length),
      mustBeNone('run', 'processes that exited on their own', [...workers, scheduler].flatMap((role) => role.crashes)),
      mustBeNone('run', 'processes not stopped cleanly by SIGTERM', [['scheduler', schedulerExit], ...workers.map((worker, index) => [worker.name, workerExits[index]] as const)].filter(([, code]) => code !== 0).map(([name, code]) => `${name} (${code})`)),
      mustBeNone('stuck', 'work still going on at the end', leftAfterScheduler ? [leftAfterScheduler] : []),
      ...(await storeChecks({ app, asked })),
      ...(await queueChecks(app)),
      ...(await effectChecks(app, world.fixturesUrl)),
      ...(await memoryFigures(app, usedBefore, usedAfter)),
      info('run', 'duration (s)', Math.round((systemClock.now().getTime() - started) / 1000)),
    ];
    const breaches = figures.filter((figure) => figure.breach);
    breached = breaches.length > 0;
    return { figures, breaches, workDir: world.workDir, schema: world.schema, kept: breached || options.keep === true };
  } finally {
    await Promise.all(roles.map((role) => role.stop(5000)));
    await world.close(breached || options.keep === true);
  }
}

const VALUE_FLAGS = ['--parcels', '--kills', '--seed', '--chaos-seconds'];
const KNOWN_FLAGS = ['--short', '--keep', ...VALUE_FLAGS];

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(work: Promise<T>): Promise<Settled<T>> {
  return work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** The value, or the error it ended with, thrown now. */
function valueOf<T>(outcome: Settled<T>): T {
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** `--short`, `--keep`, `--parcels N`, `--kills N`, `--seed N`, `--chaos-seconds N`. */
export function chaosOptionsFrom(args: readonly string[], env: NodeJS.ProcessEnv): ChaosOptions {
  const short = args.includes('--short') || env.CHAOS_SHORT === '1';
  const options = { ...(short ? SHORT_RUN : FULL_RUN), keep: args.includes('--keep') };
  const number = (flag: string): number | undefined => {
    const index = args.indexOf(flag);
    if (index < 0) return undefined;
    const value = Number(args[index + 1]);
    if (!Number.isInteger(value) || value < 0) throw new ChaosPrerequisiteError(`${flag}: expected a whole number, e.g. ${flag} 5`);
    return value;
  };
  options.parcels = number('--parcels') ?? options.parcels;
  options.kills = number('--kills') ?? options.kills;
  options.seed = number('--seed') ?? options.seed;
  options.chaosMs = (number('--chaos-seconds') ?? options.chaosMs / 1000) * 1000;
  const unknown = args.find((arg, index) => !KNOWN_FLAGS.includes(arg) && !VALUE_FLAGS.includes(args[index - 1] ?? ''));
  if (unknown !== undefined) throw new ChaosPrerequisiteError(`unknown option ${unknown}: use --short, --keep, --parcels N, --kills N, --seed N, --chaos-seconds N`);
  return options;
}

async function main(): Promise<void> {
  const say = (line: string) => process.stderr.write(`chaos: ${line}\n`);
  // Ctrl-C or a crash of the run: nothing it started (workers, scheduler, their browsers) is left running.
  process.once('exit', killAllRoles);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      say('interrupted: its processes are stopped; its schema and directory (named above) are left to drop');
      process.exit(130);
    });
  }
  try {
    const result = await runChaos(chaosOptionsFrom(process.argv.slice(2), process.env), say);
    process.stdout.write(`${formatFigures(result.figures)}\n`);
    if (result.breaches.length === 0) {
      process.stdout.write('\nno breach: nothing lost, nothing done twice, every failure an exception, nothing stuck\n');
      if (result.kept) process.stdout.write(`kept (--keep): logs and plan in ${result.workDir}, the store in schema ${result.schema}\n`);
      return;
    }
    process.stdout.write(`\n${result.breaches.length} breach(es):\n${result.breaches.map((figure) => `  - ${figure.breach}`).join('\n')}\nlogs and plan kept in ${result.workDir}, the store in schema ${result.schema} (drop it when done)\n`);
    process.exitCode = 1;
  } catch (error) {
    if (error instanceof ChaosPrerequisiteError || error instanceof RedisServerMissingError) {
      process.stderr.write(`parcelbot chaos: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
