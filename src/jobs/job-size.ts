import type { RateLimit } from '../robot-kit/define-robot.ts';

/**
 * A sweep job takes at least this many numbers. A carrier that takes one number per call (UPS,
 * DHL) is asked several times in one job: the job's fixed costs (queue round trips, one store
 * transaction, one pass of the rules) are shared by ten parcels instead of paid by each.
 */
export const NUMBERS_PER_JOB = 10;

/** Numbers in one sweep job of a carrier taking `maxBatch` numbers per call: whole calls, at least NUMBERS_PER_JOB numbers. */
export function numbersPerJob(maxBatch: number): number {
  return Math.ceil(NUMBERS_PER_JOB / maxBatch) * maxBatch;
}

/** Carrier calls one sweep job makes at most. */
export function callsPerJob(maxBatch: number): number {
  return numbersPerJob(maxBatch) / maxBatch;
}

/**
 * BullMQ's limiter counts jobs, the carrier counts calls: a job making `calls` calls may start
 * `calls` times less often, so the carrier never sees more than its limit.
 */
export function jobLimiter(rateLimit: RateLimit | undefined, calls: number): { max: number; duration: number } | undefined {
  if (!rateLimit) return undefined;
  if (rateLimit.max >= calls) return { max: Math.floor(rateLimit.max / calls), duration: rateLimit.durationMs };
  return { max: 1, duration: Math.ceil((rateLimit.durationMs * calls) / rateLimit.max) };
}
