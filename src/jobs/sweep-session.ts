import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SweepCounts, SweepRecord, SweepTrigger } from '../domain/sweep.ts';
import type { App } from '../main.ts';
import type { Store } from '../store/store.ts';
import { runSweep } from './sweep.ts';
import { SweepLock } from './sweep-lock.ts';

/** What a sweep needs of the app. */
export type SweepApp = Pick<App, 'store' | 'queues' | 'registry' | 'jobSizes' | 'clock' | 'config' | 'redis' | 'logger' | 'startWorkers'>;

export interface SweepRunHooks {
  /** Aborted (Ctrl-C, SIGTERM): the sweep stops, is recorded as interrupted and can be resumed. */
  signal?: AbortSignal;
  /** The sweep is recorded and holds the lock: what `POST /api/sweeps` answers with before it ends. */
  onStart?(record: SweepRecord): void;
  onProgress?(counts: SweepCounts): void;
}

/** Another sweep holds the sweep lock. */
export class SweepBusyError extends Error {
  constructor(readonly runningId: string | undefined) {
    super(`sweep ${runningId ?? '(starting)'} is running: one sweep runs at a time; wait for it to end`);
    this.name = 'SweepBusyError';
  }
}

/** `--resume` of a sweep that does not exist or is not interrupted. */
export class SweepNotResumableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SweepNotResumableError';
  }
}

const DAY_MS = 86_400_000;

/** Starts a sweep of every shipment due now and runs it to its end (done or interrupted). */
export async function startSweep(app: SweepApp, options: SweepRunHooks & { trigger: SweepTrigger; tick?: Date }): Promise<SweepRecord> {
  const store = await app.store();
  const id = randomUUID();
  return holdingTheLock(app, id, options.signal, async (signal) => {
    // This process holds the lock: any other sweep marked running has stopped.
    await store.sweeps.interruptOrphans(id);
    const record = await store.sweeps.create({ id, trigger: options.trigger, tick: options.tick, startedAt: app.clock.now() });
    options.onStart?.(record);
    return run(app, store, record, { ...options, signal });
  });
}

/**
 * Marks as interrupted the sweeps recorded as running whose process stopped without saying so
 * (killed): they no longer hold the sweep lock.
 */
export async function interruptOrphanSweeps(app: SweepApp): Promise<void> {
  const store = await app.store();
  await withRedis(app, async (redis) => store.sweeps.interruptOrphans(await SweepLock.holder(redis, app.config.core.PARCELBOT_QUEUE_PREFIX)));
}

/**
 * Resumes an interrupted sweep (`id`, else the newest interrupted one, of `trigger` when given):
 * it checks the shipments still due at the sweep's start, leaving out the ones queued already,
 * and counts on from its record. Undefined when no sweep was interrupted and no id was given.
 */
export async function resumeSweep(app: SweepApp, options: SweepRunHooks & { id?: string; trigger?: SweepTrigger }): Promise<SweepRecord | undefined> {
  const store = await app.store();
  await interruptOrphanSweeps(app);
  const target = options.id ? await store.sweeps.get(options.id) : await store.sweeps.latestInterrupted(options.trigger);
  if (!target) {
    if (options.id) throw new SweepNotResumableError(`no sweep ${options.id}: parcelbot sweeps lists them`);
    return undefined;
  }
  if (target.state === 'done') throw new SweepNotResumableError(`sweep ${target.id} is done: nothing to resume`);
  return holdingTheLock(app, target.id, options.signal, async (signal) => {
    const record = await store.sweeps.resume(target.id);
    if (!record) throw new SweepNotResumableError(`sweep ${target.id} is not interrupted any more`);
    app.logger.info({ sweepId: record.id, run: record.runs }, 'sweep resumed');
    options.onStart?.(record);
    return run(app, store, record, { ...options, signal });
  });
}

/** Runs `work` holding the sweep lock for `sweepId`; its signal also aborts if the lock is lost. */
async function holdingTheLock<T>(app: SweepApp, sweepId: string, signal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const prefix = app.config.core.PARCELBOT_QUEUE_PREFIX;
  return withRedis(app, async (redis) => {
    const lost = new AbortController();
    const lock = await SweepLock.acquire(redis, prefix, sweepId, () => lost.abort());
    if (!lock) throw new SweepBusyError(await SweepLock.holder(redis, prefix));
    try {
      return await work(anySignal(signal, lost.signal));
    } finally {
      await lock.release();
    }
  });
}

async function run(app: SweepApp, store: Store, record: SweepRecord, hooks: SweepRunHooks): Promise<SweepRecord> {
  const workers = localWorkers(app);
  const createdAfter = new Date(app.clock.now().getTime() - app.config.core.RETIRE_AFTER_DAYS * DAY_MS);
  const result = await runSweep({
    sweepId: record.id,
    cutoff: new Date(record.startedAt),
    createdAfter,
    shipments: store.shipments,
    queues: app.queues,
    registry: app.registry,
    jobSizes: app.jobSizes,
    maxRateLimitWaitMs: app.config.core.SWEEP_MAX_RATE_LIMIT_WAIT,
    clock: app.clock,
    reserveBatches: (count) => store.sweeps.reserveBatches(record.id, count),
    from: { counts: countsOf(record), eventCursors: record.eventCursors, countsExact: record.countsExact },
    onCarrierWork: workers.need,
    onProgress: hooks.onProgress,
    onCheckpoint: (progress) => store.sweeps.save(record.id, progress),
    signal: hooks.signal,
  }).finally(() => workers.close()); // In-flight jobs finish; what they give is counted on resume, from the saved cursors.
  await store.sweeps.save(record.id, result, { state: result.state, at: app.clock.now(), leftWaiting: result.leftWaiting });
  // Carriers, counts and times only: which parcels were left is in the queues.
  const leftWaiting = result.leftWaiting.length > 0 ? result.leftWaiting : undefined;
  app.logger.info({ sweepId: record.id, state: result.state, checked: result.counts.checked, failed: result.counts.failed, leftWaiting }, 'sweep ended');
  const ended = (await store.sweeps.get(record.id)) as SweepRecord;
  const unserved = await unservedLeftWaiting(app, ended);
  if (unserved.length > 0) app.logger.warn({ sweepId: record.id, carriers: unserved }, `sweep left parcels queued for carriers no background worker serves: they are checked only once one runs (${unserved.join(', ')})`);
  return ended;
}

/**
 * The carriers whose parcels the sweep left waiting in a held queue and that no background worker
 * serves now: the workers this process started for the sweep are gone with it (a lone
 * `parcelbot sweep`), and the jobs run only once a worker does.
 */
export async function unservedLeftWaiting(app: Pick<SweepApp, 'queues'>, record: SweepRecord): Promise<string[]> {
  const unserved: string[] = [];
  for (const { carrier } of record.leftWaiting) if ((await app.queues.workersOnline(carrier, 'background')) === 0) unserved.push(carrier);
  return unserved;
}

/** Workers in this process for the carriers no worker process serves, started when a sweep first needs one. */
function localWorkers(app: SweepApp): { need(carrier: string): void; close(): Promise<void> } {
  const started = new Set<string>();
  const handles: { close(): Promise<void> }[] = [];
  let starting: Promise<void> = Promise.resolve();
  return {
    need(carrier) {
      if (started.has(carrier)) return;
      started.add(carrier);
      starting = starting.then(async () => {
        if ((await app.queues.workersOnline(carrier, 'background')) === 0) handles.push(app.startWorkers([carrier], undefined, ['background']));
      });
    },
    async close() {
      await starting;
      await Promise.all(handles.splice(0).map((handle) => handle.close()));
    },
  };
}

async function withRedis<T>(app: SweepApp, work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = app.redis.connect();
  try {
    return await work(redis);
  } finally {
    await redis.quit().catch(() => {});
  }
}

function countsOf({ enqueued, checked, byStatus, notFound, rejected, failed, failures }: SweepRecord): SweepCounts {
  return { enqueued, checked, byStatus, notFound, rejected, failed, failures };
}

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  return AbortSignal.any(signals.filter((signal): signal is AbortSignal => signal !== undefined));
}
