import type { SweepCounts, SweepLeftWaiting } from '../domain/sweep.ts';
import { KEPT_FAILURES } from '../store/sweep-repository.ts';
import type { HeldCarrier } from './held-queue-watch.ts';
import type { TrackJobData, TrackJobResult, TrackResult } from './track-job.ts';
import { type SweepBatch, sweepJobPrefix } from './track-queues.ts';

/** What a job's data says of its parcels now: those not answered yet, and those an earlier attempt checked. */
export type AttemptedBatch = Pick<TrackJobData, 'trackingNumbers' | 'answered'>;

/** What a checkpoint saves: counts and, per carrier, the last queue event they include. */
export interface TallySnapshot {
  counts: SweepCounts;
  eventCursors: Record<string, string>;
}

/**
 * Counts a sweep's results from its carrier queues' events, whoever worked the jobs, and knows
 * when the jobs it waits for have all finished. Every job of the sweep is counted once: the ones
 * it enqueued, the ones an earlier run left queued, and the ones that finished while no run was
 * listening (their events are read again from the saved cursors).
 */
export class SweepTally {
  readonly #counts: SweepCounts;
  readonly #cursors: Record<string, string>;
  readonly #prefix: string;
  /** Jobs waited for, by id. */
  readonly #pending = new Map<string, SweepBatch>();
  readonly #counted = new Set<string>();
  /** Failed jobs: their data is read from the queue before they are counted. */
  readonly #lookups = new Set<Promise<void>>();
  #enqueuing = true;
  #settle: () => void = () => {};
  readonly done: Promise<void>;

  constructor(
    sweepId: string,
    from: TallySnapshot,
    /** A job's data as the queue holds it now; undefined once the job is gone. */
    private readonly attemptedBatchOf: (carrier: string, jobId: string) => Promise<AttemptedBatch | undefined>,
    private readonly onChange: (counts: SweepCounts) => void = () => {},
  ) {
    this.#prefix = sweepJobPrefix(sweepId);
    this.#counts = structuredClone(from.counts);
    this.#cursors = { ...from.eventCursors };
    this.done = new Promise<void>((resolve) => (this.#settle = resolve));
  }

  get counts(): SweepCounts {
    return this.#counts;
  }

  /** Waits for this job, unless it was counted already (its event came before it was known). */
  expect(jobId: string, batch: SweepBatch): void {
    if (!this.#counted.has(jobId)) this.#pending.set(jobId, batch);
  }

  /** No more jobs will be expected: `done` settles once the pending ones have finished. */
  enqueuingDone(): void {
    this.#enqueuing = false;
    this.#settleIfDone();
  }

  /** Carriers of the jobs still waited for. */
  waitingCarriers(): Set<string> {
    return new Set([...this.#pending.values()].map(({ carrier }) => carrier));
  }

  /** A consistent copy for a checkpoint; undefined while a failed job's numbers are being read. */
  snapshot(): TallySnapshot | undefined {
    return this.#lookups.size > 0 ? undefined : { counts: structuredClone(this.#counts), eventCursors: { ...this.#cursors } };
  }

  /**
   * The jobs a done sweep leaves in the queues `held` past its wait, with their parcels by
   * carrier: an earlier attempt of such a job may have checked some of its numbers before the
   * carrier's 429 (its data's `answered`); those count as checked now, and only the numbers still
   * unanswered are left waiting. Those jobs are not counted again should their events come later.
   */
  async leaveWaiting(held: readonly HeldCarrier[]): Promise<SweepLeftWaiting[]> {
    if (held.length === 0) return [];
    const carriers = new Set(held.map(({ carrier }) => carrier));
    const jobs = [...this.#pending].filter(([, batch]) => carriers.has(batch.carrier));
    const attempted = await Promise.all(jobs.map(([jobId, batch]) => this.attemptedBatchOf(batch.carrier, jobId)));
    const unanswered = new Map<string, number>();
    jobs.forEach(([jobId, batch], index) => {
      this.#take(jobId);
      const current = attempted[index];
      this.#countResults(batch.carrier, current?.answered ?? []);
      unanswered.set(batch.carrier, (unanswered.get(batch.carrier) ?? 0) + (current?.trackingNumbers ?? batch.trackingNumbers).length);
    });
    this.#changed();
    return held.flatMap(({ carrier, until }) => {
      const parcels = unanswered.get(carrier) ?? 0;
      return parcels > 0 ? [{ carrier, parcels, until }] : [];
    });
  }

  /** Waits for the failed jobs' numbers still being read. */
  async settled(): Promise<TallySnapshot> {
    while (this.#lookups.size > 0) await Promise.all(this.#lookups);
    return this.snapshot() as TallySnapshot;
  }

  /** Events of `carrier`'s queue are read from just after `eventId`: a checkpoint saves it until one is counted. */
  listeningFrom(carrier: string, eventId: string): void {
    this.#cursors[carrier] = eventId;
  }

  /** A queue event (BullMQ's fields, `event` naming it): the sweep's completed and failed jobs are counted. */
  record(carrier: string, event: { event?: string; jobId?: string; returnvalue?: unknown; failedReason?: string }, eventId: string): void {
    this.#cursors[carrier] = eventId;
    if (event.event === 'completed') this.#completed(carrier, event.jobId ?? '', event.returnvalue);
    if (event.event === 'failed') this.#failed(carrier, event.jobId ?? '', event.failedReason ?? '');
  }

  #completed(carrier: string, jobId: string, returnvalue: unknown): void {
    if (!this.#take(jobId)) return;
    const result = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as TrackJobResult | undefined;
    this.#countResults(carrier, result?.results ?? []);
    this.#changed();
  }

  #countResults(carrier: string, results: readonly TrackResult[]): void {
    for (const entry of results) {
      if (entry.outcome === 'rejected') {
        this.#counts.rejected += 1;
        continue;
      }
      if (entry.outcome === 'failed') {
        // The carrier's answer for this number alone could not be read: failed as its job would be.
        this.#countFailure(carrier, entry.trackingNumber, `${entry.errorCode}: ${entry.message}`);
        continue;
      }
      this.#counts.checked += 1;
      if (entry.outcome === 'not_found') this.#counts.notFound += 1;
      const status = entry.status ?? 'not_found';
      this.#counts.byStatus[status] = (this.#counts.byStatus[status] ?? 0) + 1;
    }
  }

  #failed(carrier: string, jobId: string, reason: string): void {
    const batch = this.#pending.get(jobId);
    if (!this.#take(jobId)) return;
    // Read from the queue even when the batch is known: an attempt may have checked some of its
    // numbers before a later call failed (the job's `answered`); those count as checked.
    const lookup = this.attemptedBatchOf(carrier, jobId)
      .then((failed) => {
        this.#countResults(carrier, failed?.answered ?? []);
        this.#addFailures(carrier, failed?.trackingNumbers ?? batch?.trackingNumbers ?? [], reason);
      })
      .finally(() => {
        this.#lookups.delete(lookup);
        this.#settleIfDone();
      });
    this.#lookups.add(lookup);
  }

  /** True when this event is a job of the sweep not counted yet. */
  #take(jobId: string): boolean {
    if (!jobId.startsWith(this.#prefix) || this.#counted.has(jobId)) return false;
    this.#counted.add(jobId);
    this.#pending.delete(jobId);
    return true;
  }

  #addFailures(carrier: string, numbers: readonly string[], reason: string): void {
    for (const trackingNumber of numbers) this.#countFailure(carrier, trackingNumber, reason);
    this.#changed();
  }

  #countFailure(carrier: string, trackingNumber: string, reason: string): void {
    this.#counts.failed += 1;
    if (this.#counts.failures.length < KEPT_FAILURES) this.#counts.failures.push({ trackingNumber, carrier, reason });
  }

  #changed(): void {
    this.onChange(this.#counts);
    this.#settleIfDone();
  }

  #settleIfDone(): void {
    if (!this.#enqueuing && this.#pending.size === 0 && this.#lookups.size === 0) this.#settle();
  }
}
