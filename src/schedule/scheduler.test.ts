import { afterEach, describe, expect, it, vi } from 'vitest';
import { seedParcels } from '../../fixtures/testing/seed-parcels.ts';
import { startSweep } from '../jobs/sweep-session.ts';
import { type TestWorld, startTestWorld } from '../testing/test-app.ts';
import { type ScheduledTask, type TaskTick, startScheduler } from './scheduler.ts';
import { taskTable } from './task-table.ts';
import { TickLeases } from './tick-leases.ts';

// Schedulers in this process on real Redis; the world's clock says when "now" is for catch-up.
// `0 2 * * *` never fires by itself during a test unless it runs at 02:00 Paris time: runs are
// told apart by the tick they are for.

const HOUR = 3_600_000;
/** 09:00 in Paris: this morning's 02:00 tick is 7 hours old. */
const NOW = '2026-03-10T09:00:00+01:00';
const THIS_MORNING = new Date('2026-03-10T01:00:00Z');
const YESTERDAY = new Date('2026-03-09T01:00:00Z');

let world: TestWorld;
afterEach(async () => world?.close());

/** A task that notes every run. */
function noting(name = 'nightly', cron = '0 2 * * *'): ScheduledTask & { runs: Omit<TaskTick, 'signal'>[] } {
  const runs: Omit<TaskTick, 'signal'>[] = [];
  return { name, cron, runs, run: async (_app, { tick, reason }) => void runs.push({ tick, reason }) };
}

/** As if a scheduler had run `task`'s `tick`. */
async function fired(task: string, tick: Date): Promise<void> {
  const redis = world.app.redis.connect();
  await new TickLeases(redis, world.env.PARCELBOT_QUEUE_PREFIX ?? '', new Set()).take(task, tick, HOUR);
  await redis.quit();
}

async function lastFired(task: string): Promise<Date | undefined> {
  const redis = world.app.redis.connect();
  const last = await new TickLeases(redis, world.env.PARCELBOT_QUEUE_PREFIX ?? '', new Set()).lastFired(task);
  await redis.quit();
  return last;
}

/** Resolves once `done()` holds, checking every 20 ms. */
async function until(done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts schedulers of `tasks` side by side, lets their start-up work end, and stops them. */
async function startAndStop(count: number, tasks: ScheduledTask[], graceMs: number): Promise<void> {
  const schedulers = await Promise.all(Array.from({ length: count }, () => startScheduler({ app: world.app, tasks, timeZone: 'Europe/Paris', graceMs })));
  await Promise.all(schedulers.map((scheduler) => scheduler.caughtUp));
  await Promise.all(schedulers.map((scheduler) => scheduler.stop()));
}

describe('catch-up at start', () => {
  it('runs the latest tick missed within the grace window once, however many schedulers start', async () => {
    world = await startTestWorld({ now: NOW });
    await fired('nightly', YESTERDAY);
    const task = noting();

    await startAndStop(3, [task], 8 * HOUR);

    expect(task.runs).toEqual([{ tick: THIS_MORNING, reason: 'catch-up' }]);
    expect(await lastFired('nightly')).toEqual(THIS_MORNING);
    await startAndStop(1, [task], 8 * HOUR);
    expect(task.runs).toHaveLength(1);
  });

  it('leaves a tick older than the grace window', async () => {
    world = await startTestWorld({ now: NOW });
    await fired('nightly', YESTERDAY);
    const task = noting();

    await startAndStop(1, [task], 6 * HOUR);

    expect(task.runs.filter((run) => run.reason === 'catch-up')).toEqual([]);
    expect(await lastFired('nightly')).toEqual(YESTERDAY);
  });

  it('runs nothing on the very first start, and catches up from then on', async () => {
    world = await startTestWorld({ now: '2026-03-10T01:30:00+01:00' });
    const task = noting();
    await startAndStop(1, [task], 8 * HOUR);
    expect(task.runs).toEqual([]);
    expect(await lastFired('nightly')).toEqual(new Date('2026-03-10T00:30:00Z'));

    world.clock.set(NOW);
    await startAndStop(1, [task], 8 * HOUR);
    expect(task.runs).toEqual([{ tick: THIS_MORNING, reason: 'catch-up' }]);
  });
});

describe('clock changes', () => {
  // 2026-03-29: Paris clocks go from 02:00 CET straight to 03:00 CEST (01:00Z), so 02:00 never happens.
  const BEFORE_GAP = new Date('2026-03-28T01:00:00Z');
  const AFTER_GAP = new Date('2026-03-29T01:00:00Z');

  it('runs a tick whose local time is skipped at the first instant after the gap, at start', async () => {
    world = await startTestWorld({ now: '2026-03-29T09:00:00+02:00' });
    await fired('nightly', BEFORE_GAP);
    const task = noting();

    await startAndStop(3, [task], 8 * HOUR);

    expect(task.runs).toEqual([{ tick: AFTER_GAP, reason: 'catch-up' }]);
  });

  it('runs it once across schedulers that were running through the gap', async () => {
    world = await startTestWorld({ now: '2026-03-29T01:30:00+01:00' });
    await fired('nightly', BEFORE_GAP);
    const task = noting();
    const schedulers = await Promise.all([1, 2].map(() => startScheduler({ app: world.app, tasks: [task], timeZone: 'Europe/Paris', graceMs: 6 * HOUR, catchUpEveryMs: 20 })));
    await Promise.all(schedulers.map((scheduler) => scheduler.caughtUp));
    expect(task.runs).toEqual([]);

    world.clock.set('2026-03-29T03:00:00+02:00');
    await until(() => task.runs.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await Promise.all(schedulers.map((scheduler) => scheduler.stop()));

    expect(task.runs).toEqual([{ tick: AFTER_GAP, reason: 'catch-up' }]);
  });
});

describe('missed ticks while running', () => {
  it('runs a tick missed while Redis was unreachable once it is back, within the grace window', async () => {
    world = await startTestWorld({ now: '2026-03-10T01:59:00+01:00' });
    await fired('nightly', YESTERDAY);
    let redisDown = false;
    const connect = world.app.redis.connect;
    vi.spyOn(world.app.redis, 'connect').mockImplementation(() => {
      const client = connect();
      for (const method of ['eval', 'get'] as const) {
        const real = client[method].bind(client) as (...args: unknown[]) => Promise<unknown>;
        Object.assign(client, { [method]: (...args: unknown[]) => (redisDown ? Promise.reject(new Error('connect ECONNREFUSED')) : real(...args)) });
      }
      return client;
    });
    const task = noting();
    const schedulers = await Promise.all([1, 2].map(() => startScheduler({ app: world.app, tasks: [task], timeZone: 'Europe/Paris', graceMs: 6 * HOUR, catchUpEveryMs: 20 })));
    await Promise.all(schedulers.map((scheduler) => scheduler.caughtUp));

    redisDown = true;
    world.clock.set('2026-03-10T02:00:01+01:00');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(task.runs).toEqual([]);
    redisDown = false;
    await until(() => task.runs.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await Promise.all(schedulers.map((scheduler) => scheduler.stop()));

    expect(task.runs).toEqual([{ tick: THIS_MORNING, reason: 'catch-up' }]);
  });

  it('runs a tick whose timer fired late (a blocked event loop) once', async () => {
    world = await startTestWorld();
    const task = noting('every-5s', '*/5 * * * * *');
    const scheduler = await startScheduler({ app: world.app, tasks: [task], timeZone: 'UTC', graceMs: HOUR });
    await scheduler.caughtUp;
    // Block the event loop from 0.3 s before a tick to 2.5 s after it: node-cron's timer fires 2 s late.
    const tick = Math.ceil((Date.now() + 1000) / 5000) * 5000;
    await new Promise((resolve) => setTimeout(resolve, tick - 300 - Date.now()));
    while (Date.now() < tick + 2500);
    await until(() => task.runs.some((run) => run.tick.getTime() === tick));
    await scheduler.stop();

    expect(task.runs.filter((run) => run.tick.getTime() === tick)).toEqual([{ tick: new Date(tick), reason: 'scheduled' }]);
  });
});

describe('scheduled ticks', () => {
  it('fire each tick once across two schedulers', async () => {
    world = await startTestWorld();
    const task = noting('every-second', '* * * * * *');
    let enough: () => void = () => {};
    const threeRuns = new Promise<void>((resolve) => (enough = resolve));
    const counted: ScheduledTask = { ...task, run: async (app, tick) => void (await task.run(app, tick), task.runs.length >= 3 && enough()) };
    const schedulers = await Promise.all([1, 2].map(() => startScheduler({ app: world.app, tasks: [counted], timeZone: 'UTC', graceMs: 0 })));

    await threeRuns;
    await Promise.all(schedulers.map((scheduler) => scheduler.stop()));

    const ticks = task.runs.map((run) => run.tick.toISOString());
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(task.runs.every((run) => run.reason === 'scheduled' && run.tick.getMilliseconds() === 0)).toBe(true);
  });
});

describe('the sweep task', () => {
  it('resumes an interrupted scheduled sweep at start', async () => {
    world = await startTestWorld({ now: NOW, env: { WORKER_CONCURRENCY: '1' } });
    const { app, fixtures } = world;
    await (await app.store()).shipments.upsertMany(seedParcels(fixtures, 'laposte', 30), app.clock.now());
    const stop = new AbortController();
    const interrupted = await startSweep(app, { trigger: 'scheduled', tick: THIS_MORNING, signal: stop.signal, onProgress: (counts) => counts.checked > 0 && stop.abort() });
    expect(interrupted.state).toBe('interrupted');

    await fired('sweep', THIS_MORNING);
    await startAndStop(1, taskTable(app.config.core), 6 * HOUR);

    const [sweep, ...others] = await (await app.store()).sweeps.list();
    expect(others).toEqual([]);
    expect(sweep).toMatchObject({ id: interrupted.id, trigger: 'scheduled', tick: THIS_MORNING.toISOString(), state: 'done', runs: 2, checked: 30 });
    expect(Object.values(fixtures.laposte.stats().callsById).every((calls) => calls === 1)).toBe(true);
  });

  it("resumes a killed scheduler's sweep once its lock lapses, at a catch-up pass, not at the next tick", async () => {
    world = await startTestWorld({ now: NOW, env: { WORKER_CONCURRENCY: '1' } });
    const { app, fixtures } = world;
    await (await app.store()).shipments.upsertMany(seedParcels(fixtures, 'laposte', 30), app.clock.now());
    const stop = new AbortController();
    const killed = await startSweep(app, { trigger: 'scheduled', tick: THIS_MORNING, signal: stop.signal, onProgress: (counts) => counts.checked > 0 && stop.abort() });
    await fired('sweep', THIS_MORNING);
    // As a killed process leaves it: its sweep's lock still held, for a while yet (SweepLock's key).
    const redis = app.redis.connect();
    await redis.set(`${world.env.PARCELBOT_QUEUE_PREFIX}:sweep:running`, `${killed.id} killed-process`, 'PX', 1500);
    await redis.quit();

    const scheduler = await startScheduler({ app, tasks: taskTable(app.config.core), timeZone: 'Europe/Paris', graceMs: 6 * HOUR, catchUpEveryMs: 200 });
    try {
      await scheduler.caughtUp;
      const store = await app.store();
      await vi.waitFor(async () => expect(await store.sweeps.get(killed.id)).toMatchObject({ state: 'done', runs: 2, checked: 30 }), { timeout: 30_000, interval: 200 });
    } finally {
      await scheduler.stop();
    }
    expect(Object.values(fixtures.laposte.stats().callsById).every((calls) => calls === 1)).toBe(true);
  });

  it('records a scheduled sweep with its tick', async () => {
    world = await startTestWorld({ now: NOW });
    await fired('sweep', YESTERDAY);
    await startAndStop(1, taskTable(world.app.config.core), 8 * HOUR);
    const sweeps = await (await world.app.store()).sweeps.list();
    expect(sweeps).toEqual([expect.objectContaining({ trigger: 'scheduled', tick: THIS_MORNING.toISOString(), state: 'done', checked: 0 })]);
  });
});
