import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { systemClock } from '../infra/clock.ts';
import { asRobotError, decideOnFailure } from '../jobs/failure-policy.ts';
import { RobotError } from '../robot-kit/robot-error.ts';
import { FOLLOW_UP_QUEUE, type FollowUpJobData, type FollowUpJobResult, followUpJobSchema } from './follow-up-queue.ts';
import { type FollowUpRunDeps, recordAttempt, recordFailure, runFollowUp } from './follow-up-processor.ts';

/**
 * A job whose workers stopped this many times while it ran (killed, out of memory) is not taken
 * up again: it fails into an exception instead of looping. BullMQ's own limit is set out of the
 * way so that the failure is recorded here, with the follow-up.
 */
const MAX_WORKER_STOPS = 3;

export interface FollowUpWorkerOptions {
  connection: Redis;
  prefix: string;
  concurrency: number;
  /**
   * How long a worker's hold on a running job lasts without renewal (renewed every half of it),
   * and how often stalled jobs are looked for: a killed worker's follow-up is taken up again
   * within about twice this (FOLLOWUP_LOCK_MS).
   */
  lockMs: number;
  deps: FollowUpRunDeps;
}

/**
 * Works the follow-up queue with the failure policy of src/jobs/failure-policy.ts: transient
 * faults retried with backoff (BullMQ attempts), a 429 waits Retry-After without using an
 * attempt, final faults and the last attempt fail the follow-up into an exception.
 *
 * BullMQ's delays are wall-clock instants in Redis, so re-delaying a job reads the system clock;
 * whether a follow-up is due is the injected clock's business.
 */
export function startFollowUpWorker({ connection, prefix, concurrency, lockMs, deps }: FollowUpWorkerOptions): Worker<FollowUpJobData, FollowUpJobResult> {
  const later = async (job: Job<FollowUpJobData>, ms: number, token: string | undefined): Promise<never> => {
    await job.moveToDelayed(systemClock.now().getTime() + ms, token);
    throw new DelayedError();
  };
  const worker: Worker<FollowUpJobData, FollowUpJobResult> = new Worker(
    FOLLOW_UP_QUEUE,
    async (job, token) => {
      const { followUpId } = followUpJobSchema.parse(job.data);
      const attempt = job.attemptsMade + 1;
      const logger = deps.logger.child({ jobId: job.id, followUpId, attempt });
      if (job.stalledCounter > MAX_WORKER_STOPS) {
        const error = new RobotError('UNEXPECTED_ERROR', `workers stopped ${job.stalledCounter} times while running this follow-up: it is not taken up again; its audit trail shows which effects were done`);
        await recordFailure(followUpId, error, deps);
        throw new UnrecoverableError(`${error.code}: ${error.message}`);
      }
      let run;
      try {
        run = await runFollowUp(followUpId, attempt, { ...deps, logger });
      } catch (thrown) {
        const error = asRobotError(thrown);
        const decision = decideOnFailure(error, attempt, job.opts.attempts ?? 1);
        logger.warn({ code: error.code, action: decision.action }, error.message);
        if (decision.action === 'give_up') {
          await recordFailure(followUpId, error, deps);
          throw new UnrecoverableError(`${error.code}: ${error.message}`);
        }
        if (decision.action === 'wait') {
          await recordAttempt(followUpId, error, `after ${Math.ceil(decision.ms / 1000)} s (Retry-After)`, deps);
          return later(job, decision.ms, token);
        }
        await recordAttempt(followUpId, error, 'with backoff', deps);
        throw new Error(`${error.code}: ${error.message}`);
      }
      if (run.outcome === 'not_due') return later(job, run.remainingMs, token);
      return { state: run.followUp.state, summary: run.followUp.result?.summary };
    },
    { connection, prefix, concurrency, lockDuration: lockMs, stalledInterval: lockMs, maxStalledCount: 1000, autorun: true },
  );
  // Connection errors are retried by ioredis; logging them keeps the process alive and observable.
  worker.on('error', (error) => deps.logger.error({ queue: FOLLOW_UP_QUEUE, err: error.message }, 'worker error'));
  return worker;
}
