import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { asRobotError, decideOnFailure } from './failure-policy.ts';
import type { JobSizes } from './job-size.ts';
import { type TrackProcessorDeps, processTrackJob, recordFailure } from './track-processor.ts';
import { type TrackJobData, type TrackJobResult, trackQueueName } from './track-job.ts';

export interface TrackWorkerOptions {
  carriers: readonly string[];
  connection: Redis;
  prefix: string;
  concurrency: number;
  /** Each carrier's queue limiter (in jobs, from its rate limit in calls); BullMQ enforces it across every worker on the queue. */
  jobSizes: JobSizes;
  deps: TrackProcessorDeps;
}

/** One BullMQ worker per carrier queue, with the failure policy applied to every attempt. */
export function startTrackWorkers(options: TrackWorkerOptions): { workers: Worker[]; close(): Promise<void> } {
  const workers = options.carriers.map((carrier) => startTrackWorker(carrier, options));
  return {
    workers,
    // close() lets in-flight jobs finish; a killed process's jobs go back to the queue as stalled.
    close: async () => {
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}

function startTrackWorker(carrier: string, { connection, prefix, concurrency, jobSizes, deps }: TrackWorkerOptions): Worker {
  const worker: Worker<TrackJobData, TrackJobResult> = new Worker(
    trackQueueName(carrier),
    async (job: Job<TrackJobData>) => {
      const logger = deps.logger.child({ robot: carrier, jobId: job.id, origin: job.data.origin, numbers: job.data.trackingNumbers.length });
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
    { connection, prefix, concurrency, autorun: true, limiter: jobSizes.limiter(carrier) },
  );
  // Connection errors are retried by ioredis; logging them keeps the process alive and observable.
  worker.on('error', (error) => deps.logger.error({ robot: carrier, err: error.message }, 'worker error'));
  return worker;
}
