import type { QueueEvents } from 'bullmq';
import type { SweepCounts, SweepLeftWaiting } from '../domain/sweep.ts';
import type { Clock } from '../infra/clock.ts';
import type { RobotRegistry } from '../robot-kit/registry.ts';
import { FIRST_DUE, type ShipmentRepository, type SweepTarget } from '../store/shipment-repository.ts';
import type { SweepProgress } from '../store/sweep-repository.ts';
import { type HeldCarrier, watchHeldQueues } from './held-queue-watch.ts';
import type { JobSizes } from './job-size.ts';
import { SweepTally } from './sweep-tally.ts';
import { type SweepBatch, type TrackQueues, sweepJobId, sweepJobPrefix } from './track-queues.ts';

const PAGE_SIZE = 1000;

/** Cuts shipments into per-carrier jobs: whole carrier calls, at least NUMBERS_PER_JOB numbers (job-size.ts). */
export function planBatches(targets: readonly SweepTarget[], registry: RobotRegistry, jobSizes: JobSizes): SweepBatch[] {
  const byCarrier = new Map<string, string[]>();
  for (const target of targets) {
    if (!registry.find(target.carrier)?.capabilities.track) continue;
    const numbers = byCarrier.get(target.carrier) ?? [];
    numbers.push(target.trackingNumber);
    byCarrier.set(target.carrier, numbers);
  }
  const batches: SweepBatch[] = [];
  for (const [carrier, numbers] of byCarrier) {
    const size = jobSizes.numbers(carrier);
    for (let start = 0; start < numbers.length; start += size) batches.push({ carrier, trackingNumbers: numbers.slice(start, start + size) });
  }
  return batches;
}

export interface SweepRunOptions {
  sweepId: string;
  /** The shipments due at this instant are checked: the sweep's start, kept by a resumed run. */
  cutoff: Date;
  /** Shipments created before this are retired (RETIRE_AFTER_DAYS). */
  createdAfter: Date;
  shipments: ShipmentRepository;
  queues: TrackQueues;
  registry: RobotRegistry;
  jobSizes: JobSizes;
  /**
   * Once every job still waited for is in a queue held by a rate limit longer than this (a daily
   * quota spent), the sweep ends without them (SWEEP_MAX_RATE_LIMIT_WAIT).
   */
  maxRateLimitWaitMs: number;
  clock: Clock;
  /** Hands out batch numbers for job ids, stored before the jobs exist: a resumed run never reuses one. */
  reserveBatches(count: number): Promise<number>;
  /** What earlier runs of this sweep counted, and up to which event of each carrier queue. */
  from: SweepProgress;
  /** Before the first job of a carrier is waited for: a process with no worker for it can start one. */
  onCarrierWork?(carrier: string): void;
  onProgress?(counts: SweepCounts): void;
  /** Every CHECKPOINT_MS while running: counts and cursors to save, for a run that ends unannounced. */
  onCheckpoint?(progress: SweepProgress): Promise<void>;
  /** Aborted: stop enqueueing and waiting; the run ends interrupted. */
  signal?: AbortSignal;
}

export interface SweepRunResult extends SweepProgress {
  state: 'done' | 'interrupted';
  /** Carriers whose jobs were left in their held queues, not waited for. */
  leftWaiting: SweepLeftWaiting[];
}

const CHECKPOINT_MS = 1000;

/**
 * One run of a sweep: enqueues a track job for each batch of shipments due at the cut-off and
 * waits until each has completed or failed. Jobs of sweeps still queued (an interrupted run's)
 * are never doubled: their parcels are left out, and this sweep's own are waited for. Jobs in
 * queues held by a rate limit past `maxRateLimitWaitMs` are not: once they are all that is left,
 * the run ends, done, and says so in `leftWaiting`; they run when the hold lifts.
 */
export async function runSweep(options: SweepRunOptions): Promise<SweepRunResult> {
  const { queues, sweepId, signal } = options;
  const carriers = options.registry.trackers().map((definition) => definition.id);
  const attemptedBatchOf = async (carrier: string, jobId: string) => (await queues.queue(carrier, 'background').getJob(jobId))?.data;
  const tally = new SweepTally(sweepId, options.from, attemptedBatchOf, options.onProgress);
  // False when events this run must read again were trimmed from a queue's stream.
  let countsExact = options.from.countsExact;
  const listeners: QueueEvents[] = [];
  const checkpoints = startCheckpoints(() => {
    const snapshot = tally.snapshot();
    return snapshot && { ...snapshot, countsExact };
  }, options.onCheckpoint);
  try {
    for (const carrier of carriers) {
      const saved = options.from.eventCursors[carrier];
      if (saved && !(await queues.keepsEventsAfter(carrier, saved))) countsExact = false;
      // Events since the last checkpoint (jobs finished while no run listened) are counted first...
      const cursor = saved ? await queues.readEventsAfter(carrier, saved, (event, id) => tally.record(carrier, event, id)) : await queues.lastEventId(carrier);
      // ...and listening goes on from there, before anything is enqueued or looked up: no event is missed.
      tally.listeningFrom(carrier, cursor);
      const events = queues.listenFrom(carrier, cursor);
      events.on('completed', (event, id) => tally.record(carrier, { event: 'completed', ...event }, id));
      events.on('failed', (event, id) => tally.record(carrier, { event: 'failed', ...event }, id));
      listeners.push(events);
    }
    const held = await holdUnfinishedSweepJobs(options, carriers, tally);
    let due = FIRST_DUE;
    while (!signal?.aborted) {
      const page = await options.shipments.listDue(options.cutoff, options.createdAfter, due, PAGE_SIZE);
      if (page.targets.length === 0) break;
      due = page.next;
      const batches = planBatches(
        page.targets.filter((target) => !held.has(heldKey(target.carrier, target.trackingNumber))),
        options.registry,
        options.jobSizes,
      );
      if (batches.length === 0) continue;
      const first = await options.reserveBatches(batches.length);
      batches.forEach((batch, offset) => tally.expect(sweepJobId(sweepId, first + offset), batch));
      for (const carrier of new Set(batches.map((batch) => batch.carrier))) options.onCarrierWork?.(carrier);
      await queues.addSweepBatches(sweepId, batches, first);
      tally.counts.enqueued += batches.reduce((sum, batch) => sum + batch.trackingNumbers.length, 0);
      options.onProgress?.(tally.counts);
    }
    tally.enqueuingDone();
    const waited = await waitForJobs(tally, options);
    const ending = { state: waited.state, leftWaiting: await tally.leaveWaiting(waited.held) };
    const settled = await tally.settled();
    if (ending.state === 'done' && countsExact) settled.counts.enqueued = Math.max(settled.counts.enqueued, parcelsAccountedFor(settled.counts, ending.leftWaiting));
    return { ...settled, ...ending, countsExact };
  } finally {
    await checkpoints.stop();
    await Promise.all(listeners.map((events) => events.close()));
  }
}

/** Waits until every job is finished, the jobs left are all in queues held too long (`held`), or the run is aborted. */
async function waitForJobs(tally: SweepTally, options: SweepRunOptions): Promise<{ state: SweepRunResult['state']; held: HeldCarrier[] }> {
  const { queues, jobSizes, clock } = options;
  const heldQueues = watchHeldQueues({
    waiting: () => tally.waitingCarriers(),
    holdMs: (carrier) => queues.rateLimitHoldMs(carrier, 'background', jobSizes.workerLimiter(carrier, 'background').max),
    maxWaitMs: options.maxRateLimitWaitMs,
    now: () => clock.now(),
  });
  try {
    const held = await Promise.race([tally.done.then(() => []), heldQueues.held, aborted(options.signal)]);
    // Aborted, even as the last job finished: enqueueing may have stopped short, so the run is to resume.
    return held === false || options.signal?.aborted ? { state: 'interrupted', held: [] } : { state: 'done', held };
  } finally {
    heldQueues.stop();
  }
}

/**
 * Every parcel a done sweep enqueued, from what became of it: checked, refused, failed or left
 * waiting, each counted once from its job's event. The running count of parcels enqueued is saved
 * with the checkpoints, a second apart: a run that died between enqueueing and its next checkpoint
 * left its resume a count short of the jobs it had made.
 */
function parcelsAccountedFor(counts: SweepCounts, leftWaiting: readonly SweepLeftWaiting[]): number {
  return counts.checked + counts.rejected + counts.failed + leftWaiting.reduce((sum, { parcels }) => sum + parcels, 0);
}

const heldKey = (carrier: string, trackingNumber: string) => `${carrier}\u0000${trackingNumber}`;

/**
 * Sweep jobs not finished yet, of any sweep: their parcels are in a worker's hands already.
 * This sweep's own (left by an earlier run) are waited for and counted.
 */
async function holdUnfinishedSweepJobs(options: SweepRunOptions, carriers: readonly string[], tally: SweepTally): Promise<Set<string>> {
  const held = new Set<string>();
  const own = sweepJobPrefix(options.sweepId);
  for (const carrier of carriers) {
    const ids = await options.queues.unfinishedSweepJobIds(carrier);
    for (let start = 0; start < ids.length; start += PAGE_SIZE) {
      const jobs = await Promise.all(ids.slice(start, start + PAGE_SIZE).map((id) => options.queues.queue(carrier, 'background').getJob(id)));
      for (const job of jobs) {
        if (!job?.id) continue;
        for (const number of job.data.trackingNumbers) held.add(heldKey(carrier, number));
        if (!job.id.startsWith(own)) continue;
        tally.expect(job.id, { carrier, trackingNumbers: job.data.trackingNumbers });
        options.onCarrierWork?.(carrier);
      }
    }
  }
  return held;
}

/** Saves a checkpoint every CHECKPOINT_MS, one at a time. */
function startCheckpoints(progress: () => SweepProgress | undefined, save: SweepRunOptions['onCheckpoint']): { stop(): Promise<void> } {
  if (!save) return { stop: async () => {} };
  let saving: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    const current = progress();
    if (current) saving = saving.then(() => save(current)).catch(() => {});
  }, CHECKPOINT_MS);
  return {
    async stop() {
      clearInterval(timer);
      await saving;
    },
  };
}

/** Resolves false when the signal is aborted; never otherwise. */
function aborted(signal: AbortSignal | undefined): Promise<false> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    signal?.addEventListener('abort', () => resolve(false), { once: true });
  });
}
