/** Who started a sweep: a person (`parcelbot sweep`), the scheduler, or the HTTP API. */
export const SWEEP_TRIGGERS = ['manual', 'scheduled', 'api'] as const;
export type SweepTrigger = (typeof SWEEP_TRIGGERS)[number];

/** `interrupted`: stopped (Ctrl-C, SIGTERM, a killed process) before every parcel was checked; it can be resumed. */
export type SweepState = 'running' | 'done' | 'interrupted';

export interface SweepFailure {
  trackingNumber: string;
  carrier: string;
  reason: string;
}

/** What a sweep has done so far, by outcome. */
export interface SweepCounts {
  /** Parcels handed to the carrier queues. */
  enqueued: number;
  /** Parcels the carriers answered for (found or not found). */
  checked: number;
  /** Checked parcels by status (`not_found` for the ones the carrier does not know). */
  byStatus: Record<string, number>;
  notFound: number;
  /** Numbers the carrier refused as invalid. */
  rejected: number;
  /** Parcels whose job failed after its last attempt: each has an exception. */
  failed: number;
  /** The first failures; `failed` counts them all. */
  failures: SweepFailure[];
}

/**
 * A carrier whose sweep jobs the sweep stopped waiting for: its background queue was held by a
 * rate limit (a daily quota spent) longer than SWEEP_MAX_RATE_LIMIT_WAIT. The jobs stay queued
 * and run when the hold lifts; their results are not in the sweep's counts.
 */
export interface SweepLeftWaiting {
  carrier: string;
  /** Parcels of the jobs left in the queue. */
  parcels: number;
  /** When the queue's hold lifts (ISO 8601). */
  until: string;
}

/** A sweep as recorded in the store (`parcelbot sweeps`). */
export interface SweepRecord extends SweepCounts {
  id: string;
  trigger: SweepTrigger;
  /** A scheduled sweep's tick: the time it was scheduled for. */
  tick?: string;
  /** Also the cut-off: the sweep checks the shipments due at this instant. */
  startedAt: string;
  finishedAt?: string;
  state: SweepState;
  /** 1, plus one per resume. */
  runs: number;
  /** Batch numbers handed out so far (job ids `sweep-<id>-<n>`). */
  batches: number;
  /** Per carrier, the last queue event counted (BullMQ event stream id). */
  eventCursors: Record<string, string>;
  /** False when a resumed run could not read every event it had missed (the stream was trimmed). */
  countsExact: boolean;
  /** Carriers whose held queue the sweep did not wait for (empty when it waited for every job). */
  leftWaiting: SweepLeftWaiting[];
}
