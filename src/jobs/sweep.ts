import { randomUUID } from 'node:crypto';
import type { QueueEvents } from 'bullmq';
import type { RobotRegistry } from '../robot-kit/registry.ts';
import type { ShipmentRepository, SweepTarget } from '../store/shipment-repository.ts';
import type { TrackJobResult } from './track-job.ts';
import { type SweepBatch, type TrackQueues, sweepJobId } from './track-queues.ts';

export interface SweepSummary {
  sweepId: string;
  /** Numbers the carriers answered for (found or not). */
  checked: number;
  byStatus: Record<string, number>;
  notFound: number;
  rejected: number;
  /** Numbers whose job failed after its last attempt: each has an exception. */
  failed: number;
  failures: { trackingNumber: string; carrier: string; reason: string }[];
}

export interface SweepProgress {
  enqueued: number;
  done: number;
}

const PAGE_SIZE = 1000;

/** Cuts shipments into per-carrier batches as large as each carrier accepts per call. */
export function planBatches(targets: readonly SweepTarget[], registry: RobotRegistry): SweepBatch[] {
  const byCarrier = new Map<string, string[]>();
  for (const target of targets) {
    if (!registry.find(target.carrier)?.capabilities.track) continue;
    byCarrier.set(target.carrier, [...(byCarrier.get(target.carrier) ?? []), target.trackingNumber]);
  }
  const batches: SweepBatch[] = [];
  for (const [carrier, numbers] of byCarrier) {
    const size = registry.find(carrier)?.capabilities.track?.maxBatch ?? 1;
    for (let start = 0; start < numbers.length; start += size) batches.push({ carrier, trackingNumbers: numbers.slice(start, start + size) });
  }
  return batches;
}

/**
 * Enqueues a track job for every active shipment, in batches, and waits until each has
 * completed or failed. Listening starts before enqueueing so no completion is missed.
 */
export async function runSweep(options: {
  shipments: ShipmentRepository;
  queues: TrackQueues;
  registry: RobotRegistry;
  onProgress?: (progress: SweepProgress) => void;
  sweepId?: string;
}): Promise<SweepSummary> {
  const sweepId = options.sweepId ?? randomUUID();
  const summary: SweepSummary = { sweepId, checked: 0, byStatus: {}, notFound: 0, rejected: 0, failed: 0, failures: [] };
  // Registered under their deterministic ids before they are enqueued: a completion can never arrive unknown.
  const pending = new Map<string, SweepBatch>();
  const progress: SweepProgress = { enqueued: 0, done: 0 };
  let enqueuing = true;
  let settle: () => void = () => {};
  const allDone = new Promise<void>((resolve) => (settle = resolve));

  const finish = (jobId: string, record: (batch: SweepBatch) => void) => {
    const batch = pending.get(jobId);
    if (!batch) return;
    pending.delete(jobId);
    record(batch);
    progress.done += batch.trackingNumbers.length;
    options.onProgress?.({ ...progress });
    if (pending.size === 0 && !enqueuing) settle();
  };
  const onCompleted = ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => finish(jobId, () => addResults(summary, parseReturn(returnvalue)));
  const onFailed = ({ jobId, failedReason }: { jobId: string; failedReason: string }) =>
    finish(jobId, (batch) => {
      for (const trackingNumber of batch.trackingNumbers) {
        summary.failed += 1;
        summary.failures.push({ trackingNumber, carrier: batch.carrier, reason: failedReason });
      }
    });

  const carriers = options.registry.trackers().map((definition) => definition.id);
  const listeners: QueueEvents[] = await Promise.all(carriers.map((carrier) => options.queues.queueEvents(carrier)));
  for (const events of listeners) {
    events.on('completed', onCompleted);
    events.on('failed', onFailed);
  }
  try {
    let afterId = 0;
    let batchIndex = 0;
    for (;;) {
      const page = await options.shipments.listActive(afterId, PAGE_SIZE);
      if (page.length === 0) break;
      afterId = page[page.length - 1]?.id ?? afterId;
      const batches = planBatches(page, options.registry);
      batches.forEach((batch, offset) => pending.set(sweepJobId(sweepId, batchIndex + offset), batch));
      await options.queues.addSweepBatches(sweepId, batches, batchIndex);
      batchIndex += batches.length;
      progress.enqueued += batches.reduce((sum, batch) => sum + batch.trackingNumbers.length, 0);
      options.onProgress?.({ ...progress });
    }
    enqueuing = false;
    if (pending.size > 0) await allDone;
  } finally {
    for (const events of listeners) {
      events.off('completed', onCompleted);
      events.off('failed', onFailed);
    }
  }
  return summary;
}

function parseReturn(value: unknown): TrackJobResult {
  return (typeof value === 'string' ? JSON.parse(value) : value) as TrackJobResult;
}

function addResults(summary: SweepSummary, result: TrackJobResult): void {
  for (const entry of result?.results ?? []) {
    if (entry.outcome === 'rejected') {
      summary.rejected += 1;
      continue;
    }
    summary.checked += 1;
    if (entry.outcome === 'not_found') summary.notFound += 1;
    const status = entry.status ?? 'not_found';
    summary.byStatus[status] = (summary.byStatus[status] ?? 0) + 1;
  }
}
