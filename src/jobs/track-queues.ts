import { randomUUID } from 'node:crypto';
import { type Job, type JobsOptions, Queue, QueueEvents } from 'bullmq';
import type { AgentsPresence } from './agents-presence.ts';
import type { QueueOptions } from './queue-options.ts';
import { type Lane, TRACK_JOB_NAME, type TrackJobData, type TrackJobResult, trackQueueName } from './track-job.ts';
import { QueueListener, SharedListener, newestEventId } from '../infra/queue-listener.ts';

export interface SweepBatch {
  carrier: string;
  trackingNumbers: string[];
}

export function sweepJobId(sweepId: string, batchIndex: number): string {
  return `sweep-${sweepId}-${batchIndex}`;
}

/** What every job id of a sweep starts with. */
export function sweepJobPrefix(sweepId?: string): string {
  return sweepId === undefined ? 'sweep-' : `sweep-${sweepId}-`;
}

/** States of a job not finished yet: a worker has it, or will. */
const UNFINISHED = ['active', 'waiting', 'prioritized', 'delayed'] as const;

/** Orders Redis stream ids (`<ms>-<seq>`). */
function compareStreamIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}

/** Producer side of the track queues: enqueue look-ups (agents' lane) and sweep batches and checks (background lane), and wait for answers. */
export class TrackQueues {
  private readonly queues = new Map<string, Queue<TrackJobData, TrackJobResult>>();
  private readonly events = new Map<string, SharedListener>();

  private readonly onError: (error: Error) => void;

  /** `presence`: told of every agent's look-up enqueued, so that background work leaves agents a CPU (BACKGROUND_CPUS=auto). */
  constructor(
    private readonly options: QueueOptions,
    private readonly presence?: AgentsPresence,
  ) {
    this.onError = options.onError ?? (() => {});
  }

  queue(carrier: string, lane: Lane): Queue<TrackJobData, TrackJobResult> {
    const name = trackQueueName(carrier, lane);
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.options.connection, prefix: this.options.prefix });
      queue.on('error', this.onError);
      // Each caller waiting for one of its jobs (job.waitUntilFinished) listens on it: many agents at once are normal, not a leak.
      queue.setMaxListeners(0);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Both lanes' queues of each carrier. */
  queuesOf(carriers: readonly string[]): Queue<TrackJobData, TrackJobResult>[] {
    return carriers.flatMap((carrier) => [this.queue(carrier, 'agents'), this.queue(carrier, 'background')]);
  }

  /** Listens for the queue's completions; ready before anything is enqueued, so nothing is missed. */
  async queueEvents(carrier: string, lane: Lane): Promise<QueueEvents> {
    const name = trackQueueName(carrier, lane);
    let events = this.events.get(name);
    if (!events) {
      events = new SharedListener(async () => (await QueueListener.fromNewest(this.queue(carrier, lane), this.options.connect(), this.options.prefix)).on('error', this.onError));
      this.events.set(name, events);
    }
    return events.get();
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

  /** `refresh`: ask the carrier even when the store's answer is fresh (FRESH_FOR). */
  async addAgentLookup(carrier: string, trackingNumber: string, requestedBy: string, options: { refresh?: boolean } = {}): Promise<Job<TrackJobData, TrackJobResult>> {
    const data: TrackJobData = { carrier, trackingNumbers: [trackingNumber], origin: 'agent', requestedBy, ...(options.refresh ? { refresh: true } : {}) };
    this.presence?.announce();
    return this.queue(carrier, 'agents').add(TRACK_JOB_NAME, data, this.jobOptions(`lookup-${randomUUID()}`));
  }

  /**
   * A check a rule decided (action `check`): one track job of the shipment's number, delayed until
   * `at` (at once when that is past). Its id is made of the number and the time, so the same
   * check decided again (the agent asks twice, a retry) is queued once.
   */
  async addCheck(carrier: string, trackingNumber: string, at: Date, now: Date): Promise<void> {
    const data: TrackJobData = { carrier, trackingNumbers: [trackingNumber], origin: 'check' };
    const jobId = `check-${carrier}-${trackingNumber}-${at.getTime()}`;
    await this.queue(carrier, 'background').add(TRACK_JOB_NAME, data, { ...this.jobOptions(jobId), delay: Math.max(0, at.getTime() - now.getTime()) });
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
        this.queue(carrier, 'background').addBulk(
          entries.map(({ batch, index }) => ({
            name: TRACK_JOB_NAME,
            data: { carrier, trackingNumbers: batch.trackingNumbers, origin: 'sweep' as const, sweepId },
            opts: this.jobOptions(sweepJobId(sweepId, index)),
          })),
        ),
      ),
    );
    return added.flat();
  }

  /**
   * Listens to the carrier's background queue's events (a sweep's) from just after `lastEventId` (an id of its Redis
   * event stream): nothing emitted after that id is missed, even before the listener is ready.
   * The caller closes it.
   */
  listenFrom(carrier: string, lastEventId: string): QueueEvents {
    const events = new QueueListener(trackQueueName(carrier, 'background'), this.options.connect(), { prefix: this.options.prefix, lastEventId });
    events.on('error', this.onError);
    return events;
  }

  /** The id of the background queue's latest event ('0-0' when none): listen from there to see every later one. */
  async lastEventId(carrier: string): Promise<string> {
    return newestEventId(this.options.connection, this.queue(carrier, 'background'));
  }

  /**
   * Reads the background queue's events after `afterId` (exclusive), oldest first, up to the latest; returns
   * the id of the last one read (`afterId` when there was none). Fields as BullMQ wrote them.
   */
  async readEventsAfter(carrier: string, afterId: string, onEvent: (event: Record<string, string>, id: string) => void): Promise<string> {
    const key = this.queue(carrier, 'background').keys.events ?? '';
    let last = afterId;
    for (;;) {
      const entries = await this.options.connection.xrange(key, `(${last}`, '+', 'COUNT', 1000);
      if (entries.length === 0) return last;
      for (const [id, fields] of entries) {
        const event: Record<string, string> = {};
        for (let index = 0; index + 1 < fields.length; index += 2) event[fields[index] ?? ''] = fields[index + 1] ?? '';
        onEvent(event, id);
        last = id;
      }
    }
  }

  /** Whether every event after `eventId` is still in the background queue's stream (BullMQ trims the oldest). */
  async keepsEventsAfter(carrier: string, eventId: string): Promise<boolean> {
    const [oldest] = await this.options.connection.xrange(this.queue(carrier, 'background').keys.events ?? '', '-', '+', 'COUNT', 1);
    return oldest === undefined || compareStreamIds(oldest[0], eventId) <= 0;
  }

  /** Ids of the sweep jobs not finished yet, of every sweep: one consistent read of the queue's lists. */
  async unfinishedSweepJobIds(carrier: string): Promise<string[]> {
    const ids = await this.queue(carrier, 'background').getRanges([...UNFINISHED], 0, -1);
    return ids.filter((id) => id.startsWith(sweepJobPrefix()));
  }

  /**
   * How long from now the carrier's queue of `lane` hands out no job because of a rate limit, in
   * ms (0: not held): a worker's `rateLimit` (a carrier's Retry-After, a daily quota spent until
   * 00:00 GMT), or the queue's limiter when its `limiterMax` jobs of the window are taken.
   */
  async rateLimitHoldMs(carrier: string, lane: Lane, limiterMax?: number): Promise<number> {
    // BullMQ answers -2 when no hold is set.
    return Math.max(0, await this.queue(carrier, lane).getRateLimitTtl(limiterMax));
  }

  async workersOnline(carrier: string, lane: Lane): Promise<number> {
    return this.queue(carrier, lane).getWorkersCount();
  }

  async close(): Promise<void> {
    await Promise.all([...this.events.values()].map((events) => events.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
