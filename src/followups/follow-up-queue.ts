import { type Job, Queue, QueueEvents } from 'bullmq';
import type { QueueOptions } from '../jobs/queue-options.ts';
import { QueueListener, SharedListener } from '../infra/queue-listener.ts';
import { z } from 'zod';

/** One queue for every kind: a follow-up is rare next to track jobs, and its executors share no quota. */
export const FOLLOW_UP_QUEUE = 'followups';
export const FOLLOW_UP_JOB_NAME = 'followup';

export const followUpJobSchema = z.object({ followUpId: z.string().min(1) });
export type FollowUpJobData = z.infer<typeof followUpJobSchema>;

/** What a follow-up job returns: small, Redis keeps it. */
export interface FollowUpJobResult {
  state: string;
  summary?: string;
}

/** Producer side of the follow-up queue: one job per follow-up, its id the follow-up's. */
export class FollowUpQueue {
  readonly queue: Queue<FollowUpJobData, FollowUpJobResult>;
  private readonly events: SharedListener;

  constructor(private readonly options: QueueOptions) {
    this.queue = new Queue(FOLLOW_UP_QUEUE, { connection: options.connection, prefix: options.prefix });
    this.queue.on('error', this.onError);
    this.events = new SharedListener(async () => (await QueueListener.fromNewest(this.queue, options.connect(), options.prefix)).on('error', this.onError));
  }

  private get onError(): (error: Error) => void {
    return this.options.onError ?? (() => {});
  }

  /**
   * Enqueues the follow-up, `delayMs` from now. The job id is the follow-up id: adding a follow-up
   * already queued, delayed, running or failed does nothing (BullMQ keeps the first).
   */
  async add(followUpId: string, delayMs: number): Promise<Job<FollowUpJobData, FollowUpJobResult>> {
    return this.queue.add(FOLLOW_UP_JOB_NAME, { followUpId }, {
      jobId: followUpId,
      delay: Math.max(0, Math.round(delayMs)),
      attempts: this.options.attempts,
      backoff: { type: 'exponential', delay: this.options.backoffMs, jitter: 0.5 },
      // Bounded, so Redis stays flat; the follow-up's record is the store's, not the job's.
      removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
      removeOnFail: { age: 30 * 24 * 3600, count: 50_000 },
    });
  }

  /** Takes a waiting or delayed job off the queue (a follow-up rejected before it ran). */
  async remove(followUpId: string): Promise<void> {
    const job = await this.queue.getJob(followUpId);
    if (job && ((await job.isDelayed()) || (await job.isWaiting()))) await job.remove().catch(() => {});
  }

  /** Listens for completions; ready before anything is enqueued, so nothing is missed. */
  async queueEvents(): Promise<QueueEvents> {
    return this.events.get();
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.queue.close();
  }
}
