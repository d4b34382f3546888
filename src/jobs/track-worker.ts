import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { RobotError } from '../robot-kit/robot-error.ts';
import { asRobotError, decideOnFailure } from './failure-policy.ts';
import type { JobSizes } from './job-size.ts';
import { type TrackProcessorDeps, processTrackJob, recordFailure } from './track-processor.ts';
import { type Lane, type TrackJobData, type TrackJobResult, trackQueueName } from './track-job.ts';

export interface TrackWorkerOptions {
  carriers: readonly string[];
  /** The lanes this process serves: agents' look-ups, the background (sweeps and checks), or both. */
  lanes: readonly Lane[];
  connection: Redis;
  prefix: string;
  concurrency: number;
  /** Each queue's limiter (in jobs, from its carrier's rate limit in calls); BullMQ enforces it across every worker on the queue. */
  jobSizes: JobSizes;
  /**
   * How long a worker's hold on a running job lasts without renewal (BullMQ renews it every half
   * of it), and how often stalled jobs are looked for: a killed worker's job is taken up again
   * within about twice this (TRACK_LOCK_MS).
   */
  lockMs: number;
  deps: TrackProcessorDeps;
}

/**
 * A job whose workers stopped this many times while it ran (killed, out of memory) is not taken
 * up again: its numbers get exceptions instead. BullMQ's own limit is set out of the way, because
 * a job BullMQ fails for stalling never reaches the processor, and its parcels would be left
 * with neither a check nor an exception.
 */
const MAX_WORKER_STOPS = 3;

/** One BullMQ worker per carrier and lane, with the failure policy applied to every attempt. */
export function startTrackWorkers(options: TrackWorkerOptions): { workers: Worker[]; close(): Promise<void> } {
  const workers = options.carriers.flatMap((carrier) => options.lanes.map((lane) => startTrackWorker(carrier, lane, options)));
  return {
    workers,
    // close() lets in-flight jobs finish; a killed process's jobs go back to the queue as stalled.
    close: async () => {
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}

function startTrackWorker(carrier: string, lane: Lane, { connection, prefix, concurrency, jobSizes, lockMs, deps }: TrackWorkerOptions): Worker {
  const worker: Worker<TrackJobData, TrackJobResult> = new Worker(
    trackQueueName(carrier, lane),
    async (job: Job<TrackJobData>) => {
      const logger = deps.logger.child({ robot: carrier, jobId: job.id, origin: job.data.origin, numbers: job.data.trackingNumbers.length });
      if (job.stalledCounter > MAX_WORKER_STOPS) {
        const error = new RobotError('UNEXPECTED_ERROR', `workers stopped ${job.stalledCounter} times while checking these parcels: the job is not taken up again`);
        await recordFailure(job, error, deps);
        throw new UnrecoverableError(`${error.code}: ${error.message}`);
      }
      try {
        const result = await processTrackJob(job, { ...deps, logger });
        logger.debug('track job done');
        return result;
      } catch (thrown) {
        const error = asRobotError(thrown);
        const decision = decideOnFailure(error, job.attemptsMade + 1, job.opts.attempts ?? 1);
        logger.warn({ code: error.code, attempt: job.attemptsMade + 1, action: decision.action }, error.message);
        if (decision.action === 'wait') {
          await worker.rateLimit(decision.ms);
          throw Worker.RateLimitError();
        }
        if (decision.action === 'give_up') {
          await recordFailure(job, error, deps);
          throw new UnrecoverableError(`${error.code}: ${error.message}`);
        }
        throw new Error(`${error.code}: ${error.message}`);
      }
    },
    { connection, prefix, concurrency, autorun: true, limiter: jobSizes.workerLimiter(carrier, lane), lockDuration: lockMs, stalledInterval: lockMs, maxStalledCount: 1000 },
  );
  // Connection errors are retried by ioredis; logging them keeps the process alive and observable.
  worker.on('error', (error) => deps.logger.error({ robot: carrier, err: error.message }, 'worker error'));
  return worker;
}
