import { randomUUID } from 'node:crypto';
import { type Job, type JobsOptions, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { SWEEP_PRIORITY, TRACK_JOB_NAME, type TrackJobData, type TrackJobResult, trackQueueName } from './track-job.ts';

export interface TrackQueueOptions {
  connection: Redis;
  /** Opens a dedicated connection: QueueEvents blocks on its own. */
  connect: () => Redis;
  prefix: string;
  attempts: number;
  backoffMs: number;
}

export interface SweepBatch {
  carrier: string;
  trackingNumbers: string[];
}

export function sweepJobId(sweepId: string, batchIndex: number): string {
  return `sweep-${sweepId}-${batchIndex}`;
}

/** Producer side of the track queues: enqueue look-ups and sweep batches, and wait for answers. */
export class TrackQueues {
  private readonly queues = new Map<string, Queue<TrackJobData, TrackJobResult>>();
  private readonly events = new Map<string, QueueEvents>();

  constructor(private readonly options: TrackQueueOptions) {}

  queue(carrier: string): Queue<TrackJobData, TrackJobResult> {
    let queue = this.queues.get(carrier);
    if (!queue) {
      queue = new Queue(trackQueueName(carrier), { connection: this.options.connection, prefix: this.options.prefix });
      this.queues.set(carrier, queue);
    }
    return queue;
  }

  /** Listens for the carrier queue's completions; ready before anything is enqueued, so nothing is missed. */
  async queueEvents(carrier: string): Promise<QueueEvents> {
    let events = this.events.get(carrier);
    if (!events) {
      events = new QueueEvents(trackQueueName(carrier), { connection: this.options.connect(), prefix: this.options.prefix });
      this.events.set(carrier, events);
    }
    await events.waitUntilReady();
    return events;
  }

  private jobOptions(jobId: string): JobsOptions {
    return {
      jobId,
      attempts: this.options.attempts,
      backoff: { type: 'exponential', delay: this.options.backoffMs, jitter: 0.5 },
      // Bounded, so Redis memory stays flat over a long run while recent answers stay readable.
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 50_000 },
    };
  }

  async addAgentLookup(carrier: string, trackingNumber: string, requestedBy: string): Promise<Job<TrackJobData, TrackJobResult>> {
    const data: TrackJobData = { carrier, trackingNumbers: [trackingNumber], origin: 'agent', requestedBy };
    return this.queue(carrier).add(TRACK_JOB_NAME, data, this.jobOptions(`lookup-${randomUUID()}`));
  }

  /** Sweep jobs get deterministic ids: enqueueing the same batch twice queues it once. */
  async addSweepBatches(sweepId: string, batches: readonly SweepBatch[], firstIndex: number): Promise<Job<TrackJobData, TrackJobResult>[]> {
    // Map.groupBy needs Node 21: grouped by hand for Node 20.
    const byCarrier = new Map<string, { batch: SweepBatch; index: number }[]>();
    batches.forEach((batch, offset) => {
      const entries = byCarrier.get(batch.carrier) ?? [];
      entries.push({ batch, index: firstIndex + offset });
      byCarrier.set(batch.carrier, entries);
    });
    const added = await Promise.all(
      [...byCarrier].map(([carrier, entries]) =>
        this.queue(carrier).addBulk(
          entries.map(({ batch, index }) => ({
            name: TRACK_JOB_NAME,
            data: { carrier, trackingNumbers: batch.trackingNumbers, origin: 'sweep' as const, sweepId },
            opts: { ...this.jobOptions(sweepJobId(sweepId, index)), priority: SWEEP_PRIORITY },
          })),
        ),
      ),
    );
    return added.flat();
  }

  async workersOnline(carrier: string): Promise<number> {
    return this.queue(carrier).getWorkersCount();
  }

  async close(): Promise<void> {
    await Promise.all([...this.events.values()].map((events) => events.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
