import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliEnv, useCliEnvs } from '../../fixtures/cli/cli-env.ts';
import { runCli, startCli } from '../../fixtures/cli/run-cli.ts';
import { numberFor } from '../../fixtures/laposte/testing.ts';
import { seedParcels } from '../../fixtures/testing/seed-parcels.ts';
import { openDatabase } from '../store/open-database.ts';

// `parcelbot scheduler`, `sweep` (interrupted with Ctrl-C, then --resume), `sweeps` and
// `track --refresh`, spawned. The simulators run in this process and count every call.

const { world, fixtures } = useCliEnvs();
/** Several spawns, each starting tsx and maybe PGlite: generous, for a loaded CI machine. */
const SLOW_MS = 150_000;

/** pino's JSON lines among what a process wrote on stderr. */
function logLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Resolves once `condition` holds, checking every 50 ms (what the processes printed, the simulators' counts). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Reads the sweeps a world's store recorded, once its processes have stopped. */
async function recordedSweeps(cli: CliEnv): Promise<{ tick: string; trigger: string }[]> {
  const db = await openDatabase({ databaseUrl: cli.env.DATABASE_URL, dataDir: cli.dataDir, schema: cli.schema ?? 'public' });
  try {
    return await db.query<{ tick: string; trigger: string }>(`select tick::text, trigger from sweeps`);
  } finally {
    await db.close();
  }
}

describe('parcelbot scheduler', () => {
  it('two processes on one Redis run each tick once, and stop on SIGTERM with exit 0', { timeout: SLOW_MS }, async () => {
    const schedule = { SWEEP_CRON: '* * * * * *', MARKETPLACE_SYNC_CRON: 'off', CLAIM_CHECK_CRON: 'off', SCHEDULE_TZ: 'UTC', SCHEDULE_GRACE: '0s', LOG_LEVEL: 'info', LOG_FORMAT: 'json' };
    const first = await world(schedule);
    // Same Redis and queue prefix. On PostgreSQL, the same store; on PGlite (one process per store), a store each.
    const second = process.env.DATABASE_URL ? first : await world({ ...schedule, PARCELBOT_QUEUE_PREFIX: first.prefix });
    const schedulers = [startCli(['scheduler'], first.env, { timeoutMs: 140_000 }), startCli(['scheduler'], { ...second.env, PARCELBOT_QUEUE_PREFIX: first.prefix }, { timeoutMs: 140_000 })];
    const ticksRun = () => schedulers.flatMap((scheduler) => logLines(scheduler.stderr()).filter((line) => line.msg === 'task started').map((line) => String(line.tick)));

    await Promise.all(schedulers.map((scheduler) => scheduler.waitForStderr(/^parcelbot scheduler: sweep "\* \* \* \* \* \*" \(UTC\); Ctrl-C/m)));
    await until(() => ticksRun().length >= 5);
    for (const scheduler of schedulers) scheduler.signal('SIGTERM');
    const stopped = await Promise.all(schedulers.map((scheduler) => scheduler.exited));

    for (const result of stopped) expect(result.code, result.stderr.slice(-2000)).toBe(0);
    const ticks = ticksRun();
    expect(new Set(ticks).size).toBe(ticks.length);
    const sweeps = [...(await recordedSweeps(first)), ...(second === first ? [] : await recordedSweeps(second))];
    expect(sweeps.length).toBeGreaterThanOrEqual(2);
    expect(sweeps.every((sweep) => sweep.trigger === 'scheduled')).toBe(true);
    expect(new Set(sweeps.map((sweep) => sweep.tick)).size).toBe(sweeps.length);
  });
});

describe('parcelbot sweep --resume', () => {
  it('Ctrl-C interrupts a sweep, --resume finishes it, every parcel is checked once; sweeps lists it', { timeout: SLOW_MS }, async () => {
    // One call at a time, five a second: the sweep is still running when it is interrupted.
    const cli = await world({ WORKER_CONCURRENCY: '1', DHL_RATE_LIMIT: '5/1s' });
    const parcels = seedParcels(fixtures(), 'dhl', 30);
    const file = path.join(cli.dataDir, 'parcels.csv');
    await writeFile(file, ['tracking_number,carrier', ...parcels.map((parcel) => `${parcel.trackingNumber},dhl`)].join('\n'));
    expect((await runCli(['import', file], cli.env)).code).toBe(0);
    const calls = () => parcels.map((parcel) => fixtures().dhl.stats().callsByNumber[parcel.trackingNumber] ?? 0);
    const checked = () => calls().filter((count) => count > 0).length;

    const sweep = startCli(['sweep'], cli.env);
    await until(() => checked() >= 5);
    sweep.signal('SIGINT');
    const interrupted = await sweep.exited;

    expect(interrupted.code, interrupted.stderr).toBe(1);
    expect(interrupted.stdout).toBe('');
    const [, sweepId] = /^parcelbot: sweep (\S+) interrupted after \d+ of 30 parcels: resume it with parcelbot sweep --resume \1$/m.exec(interrupted.stderr) ?? [];
    expect(sweepId, interrupted.stderr).toBeDefined();
    expect(checked()).toBeLessThan(30);

    const resumed = await runCli(['sweep', '--resume', '--json'], { ...cli.env, DHL_RATE_LIMIT: 'off' });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ sweepId, state: 'done', runs: 2, enqueued: 30, checked: 30, failed: 0 });
    expect(calls()).toEqual(parcels.map(() => 1));

    const listed = await runCli(['sweeps', '--json'], cli.env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ sweepId, trigger: 'manual', state: 'done', checked: 30 })]);
    const again = await runCli(['sweep', '--resume'], cli.env);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('parcelbot: no interrupted sweep to resume (parcelbot sweeps lists them)\n');
  });
});

describe('parcelbot track --refresh', () => {
  it('answers a second look-up from the store, says so, and asks the carrier again with --refresh (scheduler --work answers)', { timeout: SLOW_MS }, async () => {
    const { env } = await world({ SWEEP_CRON: 'off', MARKETPLACE_SYNC_CRON: 'off', CLAIM_CHECK_CRON: 'off' });
    // With the embedded store held by the scheduler, a track succeeds only if the scheduler's workers answer it.
    const scheduler = startCli(['scheduler', '--work'], env, { timeoutMs: 140_000 });
    await scheduler.waitForStderr(/^parcelbot scheduler: no task \(Europe\/Paris\), working the track queues; Ctrl-C to stop$/m);
    // Estimated tomorrow: the check the look-up's rules schedule (the business day after the
    // estimate, at 09:00) is days away. A parcel estimated yesterday would be checked again at once
    // from 09:00 on a business day, a second carrier call the counts below would see.
    const number = numberFor('in-transit');
    const asked = () => fixtures().laposte.stats().callsById[number] ?? 0;

    const fromCarrier = await runCli(['track', number, '--json'], env);
    expect(fromCarrier.code, fromCarrier.stderr).toBe(0);
    expect(JSON.parse(fromCarrier.stdout).fresh).toMatchObject({ source: 'carrier', ageSeconds: 0 });
    expect(asked()).toBe(1);

    const fromStore = await runCli(['track', number], env);
    expect(fromStore.code, fromStore.stderr).toBe(0);
    expect(fromStore.stdout).toMatch(/^checked {4}\d{4}-\d\d-\d\d \d\d:\d\d {2}\(from the store, checked \d+ s ago; --refresh asks the carrier\)$/m);
    expect(asked()).toBe(1);

    const refreshed = await runCli(['track', number, '--refresh'], env);
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect(refreshed.stdout).toMatch(/^checked {4}.* {2}\(asked the carrier now\)$/m);
    expect(asked()).toBe(2);

    scheduler.signal('SIGTERM');
    expect((await scheduler.exited).code).toBe(0);
  });
});
