import type { Logger } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { numberFor as dhlNumber } from '../../fixtures/dhl/testing.ts';
import { numberFor as laposteNumber } from '../../fixtures/laposte/testing.ts';
import { capturedLogger } from '../../fixtures/testing/follow-up-context.ts';
import { seedParcels } from '../../fixtures/testing/seed-parcels.ts';
import type { SweepCounts } from '../domain/sweep.ts';
import { type TestWorld, startTestWorld } from '../testing/test-app.ts';
import { NUMBERS_PER_JOB } from './job-size.ts';
import { resumeSweep, startSweep, unservedLeftWaiting } from './sweep-session.ts';

// Sweeps through real BullMQ queues on Redis, the robots, the simulators (which count every
// call) and the store. One worker at a time where the order of calls matters.

const HOUR = 3_600_000;
let world: TestWorld;

async function open(env: Record<string, string> = {}, logger?: Logger): Promise<TestWorld> {
  // DHL's quotas are not under test here: its 250 calls a day would hold a sweep of 240 parcels.
  world = await startTestWorld({ env: { WORKER_CONCURRENCY: '1', DHL_RATE_LIMIT: 'off', DHL_DAILY_QUOTA: 'off', ...env }, logger });
  return world;
}
afterEach(async () => world?.close());

async function importShipments(shipments: Parameters<Awaited<ReturnType<TestWorld['app']['store']>>['shipments']['upsertMany']>[0]) {
  await (await world.app.store()).shipments.upsertMany(shipments, world.clock.now());
}

/** Numbers the simulator was asked about more than once. */
const askedTwice = (callsByNumber: Record<string, number>) => Object.entries(callsByNumber).filter(([, calls]) => calls > 1);

describe('a sweep', () => {
  it('batches numbers as each carrier accepts them: La Poste 10 per call, FedEx 30 (counted by the simulators)', async () => {
    const { app, fixtures } = await open();
    await importShipments([...seedParcels(fixtures, 'laposte', 25), ...seedParcels(fixtures, 'fedex', 65)]);

    const sweep = await startSweep(app, { trigger: 'manual' });

    expect(sweep).toMatchObject({ state: 'done', trigger: 'manual', runs: 1, enqueued: 90, checked: 90, failed: 0, byStatus: { in_transit: 90 } });
    expect(fixtures.laposte.stats().totalCalls).toBe(3);
    expect(Object.keys(fixtures.laposte.stats().callsById)).toHaveLength(25);
    expect(fixtures.fedex.stats().numbersPerCall.toSorted((a, b) => a - b)).toEqual([5, 30, 30]);
    expect(askedTwice({ ...fixtures.laposte.stats().callsById, ...fixtures.fedex.stats().callsByNumber })).toEqual([]);
  });

  it("keeps what a job's answered calls brought when one call fails: the next attempt asks the carrier only for the numbers left", async () => {
    const { app, fixtures } = await open();
    await importShipments(seedParcels(fixtures, 'dhl', 20));
    // One job of 20 one-number calls, 8 in flight: the first call to reach DHL fails.
    fixtures.dhl.setFaults({ fault: 'http-503', times: 1 });

    const sweep = await startSweep(app, { trigger: 'manual' });

    expect(sweep).toMatchObject({ state: 'done', enqueued: 20, checked: 20, failed: 0, byStatus: { in_transit: 20 } });
    // Each number asked once, but the one whose call failed, asked again (the whole job again: 40 calls or more).
    expect(fixtures.dhl.stats().totalCalls).toBe(21);
    expect(askedTwice(fixtures.dhl.stats().callsByNumber)).toHaveLength(1);
    expect(await world.db.query('select 1 from exceptions')).toEqual([]);
  });

  it('counts as checked the numbers an attempt kept, when the job then fails for good; the others get exceptions', async () => {
    // Attempts 1.5 s apart: time to see what the first attempt kept before the next one starts.
    const { app, fixtures } = await open({ TRACK_BACKOFF_MS: '1500' });
    const parcels = seedParcels(fixtures, 'dhl', 20);
    await importShipments(parcels);
    fixtures.dhl.setFaults({ fault: 'http-503', times: 1 });
    const running = startSweep(app, { trigger: 'manual' });
    const kept = await vi.waitFor(
      async () => {
        const [job] = await app.queues.queue('dhl', 'background').getJobs(['delayed']);
        expect(job?.data.answered?.length).toBeGreaterThan(0);
        return job?.data.answered?.map((result) => result.trackingNumber) ?? [];
      },
      { timeout: 10_000, interval: 20 },
    );
    // From the second attempt on, DHL fails every call.
    fixtures.dhl.setFaults({ fault: 'http-503' });

    const sweep = await running;

    expect(sweep).toMatchObject({ state: 'done', enqueued: 20, checked: kept.length, failed: 20 - kept.length });
    const left = parcels.map((parcel) => parcel.trackingNumber).filter((number) => !kept.includes(number));
    const exceptions = await world.db.query<{ tracking_number: string }>('select tracking_number from exceptions');
    expect(exceptions.map((row) => row.tracking_number).toSorted()).toEqual(left.toSorted());
  });

  it('takes only the shipments due: none right after a sweep, the last-mile ones first, none once retired', async () => {
    const { app, clock, fixtures } = await open();
    const scenarios = ['out-for-delivery', 'in-transit', 'delivered'];
    await importShipments(scenarios.map((scenario) => ({ trackingNumber: laposteNumber(scenario), carrier: 'laposte', customerLang: 'fr' as const, destinationCountry: 'FR' })));
    const sweepAfter = async (ms: number) => {
      clock.advance(ms);
      fixtures.laposte.resetStats();
      const sweep = await startSweep(app, { trigger: 'manual' });
      return { checked: sweep.checked, asked: fixtures.laposte.stats().idsRequested.toSorted() };
    };

    expect(await sweepAfter(0)).toEqual({ checked: 3, asked: scenarios.map(laposteNumber).toSorted() });
    expect(await sweepAfter(60_000)).toEqual({ checked: 0, asked: [] });
    // Out for delivery: again after 2 h. In transit without a promise: after 6 h. Delivered: the next night.
    expect(await sweepAfter(2 * HOUR - 60_000)).toEqual({ checked: 1, asked: [laposteNumber('out-for-delivery')] });
    expect(await sweepAfter(4 * HOUR)).toMatchObject({ checked: 2 });
    expect(await sweepAfter(91 * 24 * HOUR)).toEqual({ checked: 0, asked: [] });

    const recorded = await (await app.store()).sweeps.list();
    expect(recorded.map((sweep) => [sweep.state, sweep.checked])).toEqual([['done', 0], ['done', 2], ['done', 1], ['done', 0], ['done', 3]]);
  });
});

describe('an interrupted sweep', () => {
  /** Starts a sweep of `count` DHL parcels (NUMBERS_PER_JOB per job, one per call) and stops it once `after` are checked. */
  async function interruptedSweep(count: number, after: number) {
    const { app, fixtures } = await open();
    const parcels = seedParcels(fixtures, 'dhl', count);
    await importShipments(parcels);
    const stop = new AbortController();
    const onProgress = (counts: SweepCounts) => counts.checked >= after && stop.abort();
    const sweep = await startSweep(app, { trigger: 'manual', signal: stop.signal, onProgress });
    return { app, fixtures, sweep, numbers: parcels.map((parcel) => parcel.trackingNumber) };
  }

  it('resumes where it stopped: every parcel checked exactly once (calls counted by the simulator)', async () => {
    const { app, fixtures, sweep, numbers } = await interruptedSweep(4 * NUMBERS_PER_JOB, NUMBERS_PER_JOB);
    expect(sweep).toMatchObject({ state: 'interrupted', enqueued: 4 * NUMBERS_PER_JOB });
    expect(sweep.checked).toBeGreaterThanOrEqual(NUMBERS_PER_JOB);
    expect(fixtures.dhl.stats().totalCalls).toBeLessThan(4 * NUMBERS_PER_JOB);

    const resumed = await resumeSweep(app, {});

    expect(resumed).toMatchObject({ id: sweep.id, state: 'done', runs: 2, enqueued: 4 * NUMBERS_PER_JOB, checked: 4 * NUMBERS_PER_JOB, countsExact: true });
    expect(fixtures.dhl.stats().callsByNumber).toEqual(Object.fromEntries(numbers.map((number) => [number, 1])));
    expect(await resumeSweep(app, {})).toBeUndefined();
  });

  it('counts every parcel enqueued when the run that enqueued them died before saving the count', async () => {
    const { app, sweep } = await interruptedSweep(4 * NUMBERS_PER_JOB, NUMBERS_PER_JOB);
    // As the last checkpoint before the enqueueing left it: the run's own end was never saved.
    await (await app.store()).db.query('update sweeps set enqueued = 0 where id = $1', [sweep.id]);

    const resumed = await resumeSweep(app, { id: sweep.id });

    expect(resumed).toMatchObject({ state: 'done', runs: 2, enqueued: 4 * NUMBERS_PER_JOB, checked: 4 * NUMBERS_PER_JOB, countsExact: true });
  });

  it('counts on resume the jobs workers finished while it was stopped, and checks nothing again', async () => {
    const { app, fixtures, sweep } = await interruptedSweep(3 * NUMBERS_PER_JOB, NUMBERS_PER_JOB);
    const workers = app.startWorkers(['dhl'], 2);
    await new Promise<void>((resolve) => workers.workers[0]?.once('drained', () => resolve()));
    await workers.close();
    const calls = fixtures.dhl.stats().totalCalls;
    expect(calls).toBe(3 * NUMBERS_PER_JOB);

    const resumed = await resumeSweep(app, { id: sweep.id });

    expect(resumed).toMatchObject({ state: 'done', runs: 2, checked: 3 * NUMBERS_PER_JOB, byStatus: { in_transit: 3 * NUMBERS_PER_JOB }, countsExact: true });
    expect(fixtures.dhl.stats().totalCalls).toBe(calls);
  });
});

describe('a carrier queue held by a rate limit', () => {
  it('held for hours (FedEx daily quota spent): the sweep ends without its parcels, records them and frees the lock', async () => {
    const { logger, lines } = capturedLogger('info');
    const { app, clock, fixtures } = await open({}, logger);
    await importShipments([...seedParcels(fixtures, 'laposte', 25), ...seedParcels(fixtures, 'fedex', 65)]);
    // 09:00 in Paris is 08:00 GMT: FedEx's quota is back at 00:00 GMT, 16 hours later.
    fixtures.fedex.setFaults({ fault: 'daily-quota' });
    const quotaBack = new Date('2026-03-11T00:00:00Z').getTime();

    const sweep = await startSweep(app, { trigger: 'manual' });

    expect(sweep).toMatchObject({ state: 'done', enqueued: 90, checked: 25, failed: 0, byStatus: { in_transit: 25 }, leftWaiting: [{ carrier: 'fedex', parcels: 65 }] });
    // The hold's end as the queue reads it: 16 hours from the quota's 429, less the seconds since.
    const until = new Date(sweep.leftWaiting[0]?.until ?? '').getTime();
    expect(until).toBeLessThanOrEqual(quotaBack);
    expect(until).toBeGreaterThan(quotaBack - 60_000);
    // The first job's calls (they go out together) met the quota; none was made after.
    expect(fixtures.fedex.stats().totalCalls).toBeLessThanOrEqual(app.jobSizes.calls('fedex'));
    expect(await (await app.store()).sweeps.get(sweep.id)).toEqual(sweep);
    // FedEx's jobs are still queued, to run when the quota is back.
    expect(await app.queues.unfinishedSweepJobIds('fedex')).toHaveLength(1);
    const logged = lines.map((line) => JSON.parse(line));
    expect(logged.find((line) => line.msg === 'sweep ended')).toMatchObject({ sweepId: sweep.id, state: 'done', checked: 25, leftWaiting: sweep.leftWaiting });
    // The workers the sweep started for itself are gone with it: nothing would run FedEx's jobs at midnight.
    expect(logged.find((line) => line.level === 40 && line.sweepId === sweep.id)).toMatchObject({ carriers: ['fedex'] });
    expect(await unservedLeftWaiting(app, sweep)).toEqual(['fedex']);
    const fedexWorker = app.startWorkers(['fedex'], 1, ['background']);
    await expect.poll(() => unservedLeftWaiting(app, sweep)).toEqual([]);
    await fedexWorker.close();

    // The lock is free: the next sweep runs, leaving out the parcels still queued, and waits for none of them.
    clock.advance(HOUR);
    const next = await startSweep(app, { trigger: 'manual' });
    expect(next).toMatchObject({ state: 'done', enqueued: 0, checked: 0, leftWaiting: [] });
  });

  it('held after an attempt kept some answers: those count as checked, only the numbers left are left waiting', async () => {
    const { app, fixtures } = await open();
    await importShipments(seedParcels(fixtures, 'dhl', 20));
    // One job of 20 one-number calls, 8 in flight: the first call to reach DHL gets a 429 asking
    // to come back in an hour (past SWEEP_MAX_RATE_LIMIT_WAIT); the calls in flight with it are answered.
    fixtures.dhl.setFaults({ fault: 'rate-limited', retryAfterSeconds: 3600, times: 1 });

    const sweep = await startSweep(app, { trigger: 'manual' });

    const [jobId] = await app.queues.unfinishedSweepJobIds('dhl');
    const job = await app.queues.queue('dhl', 'background').getJob(jobId ?? '');
    const kept = job?.data.answered?.length ?? 0;
    expect(kept).toBeGreaterThan(0);
    expect(job?.data.trackingNumbers).toHaveLength(20 - kept);
    expect(sweep).toMatchObject({ state: 'done', enqueued: 20, checked: kept, failed: 0, byStatus: { in_transit: kept }, leftWaiting: [{ carrier: 'dhl', parcels: 20 - kept }] });
  });

  it.each([
    ['waits for a hold of seconds under SWEEP_MAX_RATE_LIMIT_WAIT (30m by default)', {}, [0]],
    ['with SWEEP_MAX_RATE_LIMIT_WAIT=0s never waits on a held queue: the calls answered count, the one refused is left waiting', { SWEEP_MAX_RATE_LIMIT_WAIT: '0s' }, [5, 10]],
  ])('%s (La Poste answers 429, Retry-After 10 s, once)', async (_, env, leftOneOf) => {
    const { app, fixtures } = await open(env);
    await importShipments(seedParcels(fixtures, 'laposte', 25));
    fixtures.laposte.setFaults({ fault: 'rate-limited', retryAfterSeconds: 10, times: 1 });

    const sweep = await startSweep(app, { trigger: 'manual' });

    // One job of three calls (10, 10 and 5 numbers) in flight together: left in the queue, it keeps the numbers of the call refused.
    const [held] = await app.queues.unfinishedSweepJobIds('laposte');
    const left = held ? ((await app.queues.queue('laposte', 'background').getJob(held))?.data.trackingNumbers.length ?? 25) : 0;
    expect(leftOneOf).toContain(left);
    expect(sweep).toMatchObject({ state: 'done', enqueued: 25, checked: 25 - left, failed: 0, leftWaiting: left > 0 ? [{ carrier: 'laposte', parcels: left }] : [] });
  });

  it('with SWEEP_MAX_RATE_LIMIT_WAIT=0s checks every parcel of a carrier without a rate limit that holds nothing', async () => {
    const { app, fixtures } = await open({ SWEEP_MAX_RATE_LIMIT_WAIT: '0s' });
    // DHL_RATE_LIMIT is off here: its queue's limiter only counts jobs (a second at a time), it holds none.
    await importShipments(seedParcels(fixtures, 'dhl', 6 * NUMBERS_PER_JOB));
    // Slow enough answers that the sweep still waits for jobs when it first reads the holds.
    fixtures.dhl.setFaults({ latencyMs: 100 });

    const sweep = await startSweep(app, { trigger: 'manual' });

    expect(sweep).toMatchObject({ state: 'done', enqueued: 6 * NUMBERS_PER_JOB, checked: 6 * NUMBERS_PER_JOB, leftWaiting: [] });
  });
});

describe('agents first', () => {
  it('an agent look-up made during a sweep is answered before the sweep jobs still queued', async () => {
    const { app, fixtures } = await open();
    const total = 6 * NUMBERS_PER_JOB;
    await importShipments(seedParcels(fixtures, 'dhl', total));
    const agentNumber = dhlNumber('delivered');
    let callsBeforeAgent = -1;
    let agentAnswer: Promise<unknown> | undefined;
    const events = await app.queues.queueEvents('dhl', 'agents');
    const onProgress = (counts: SweepCounts) => {
      if (counts.checked < NUMBERS_PER_JOB || agentAnswer) return;
      callsBeforeAgent = fixtures.dhl.stats().totalCalls;
      agentAnswer = app.queues.addAgentLookup('dhl', agentNumber, 'agent-7').then((job) => job.waitUntilFinished(events, 60_000));
    };

    // The sweep starts background workers of its own; agents' look-ups have theirs.
    const agentWorkers = app.startWorkers(['dhl'], 1, ['agents']);
    const sweep = await startSweep(app, { trigger: 'manual', onProgress });
    await agentAnswer;
    await agentWorkers.close();

    expect(sweep).toMatchObject({ state: 'done', checked: total });
    const order = fixtures.dhl.stats().numbersRequested;
    const agentPosition = order.indexOf(agentNumber);
    // At most the sweep job in hand (and the one its worker fetched with it) go first: each makes
    // NUMBERS_PER_JOB calls of one number (DHL takes one per call).
    expect(agentPosition - callsBeforeAgent).toBeLessThanOrEqual(2 * NUMBERS_PER_JOB);
    expect(order.length - agentPosition - 1).toBeGreaterThanOrEqual(total - callsBeforeAgent - 2 * NUMBERS_PER_JOB);
    expect(callsBeforeAgent).toBeLessThan(3 * NUMBERS_PER_JOB);
  });
});

describe('freshness', () => {
  async function lookUp(options: { refresh?: boolean } = {}) {
    const { app } = world;
    const events = await app.queues.queueEvents('laposte', 'agents');
    const job = await app.queues.addAgentLookup('laposte', laposteNumber('in-transit'), 'agent-42', options);
    const workers = app.startWorkers(['laposte'], 1);
    try {
      return (await job.waitUntilFinished(events, 30_000)).results[0]?.answer;
    } finally {
      await workers.close();
    }
  }

  it('answers from the store within FRESH_FOR without a carrier call, and asks the carrier on --refresh or once stale', async () => {
    const { clock, fixtures, db } = await open({ FRESH_FOR: '10m' });
    const first = await lookUp();
    expect(first?.fresh).toEqual({ source: 'carrier', ageSeconds: 0, checkedAt: first?.checkedAt });
    expect(fixtures.laposte.stats().totalCalls).toBe(1);

    clock.advance(5 * 60_000);
    const fromStore = await lookUp();
    expect(fromStore?.fresh).toEqual({ source: 'store', ageSeconds: 300, checkedAt: first?.checkedAt });
    expect(fromStore?.events).toEqual(first?.events);
    // Both judged: the answer carries the verdict, from the store as from the carrier.
    expect(first?.events.length).toBeGreaterThan(0);
    expect(first?.verdict?.verdict).toBeDefined();
    expect(fromStore?.verdict?.verdict).toBe(first?.verdict?.verdict);
    expect(fixtures.laposte.stats().totalCalls).toBe(1);

    expect((await lookUp({ refresh: true }))?.fresh).toMatchObject({ source: 'carrier', ageSeconds: 0 });
    expect(fixtures.laposte.stats().totalCalls).toBe(2);

    clock.advance(10 * 60_000);
    expect((await lookUp())?.fresh?.source).toBe('carrier');
    expect(fixtures.laposte.stats().totalCalls).toBe(3);
    // Every look-up is recorded, from the store or not.
    expect(await db.query('select outcome, count(*)::int as n from lookups group by outcome')).toEqual([{ outcome: 'found', n: 4 }]);
  });
});
