import type { JobSizes } from './job-size.ts';
import type { TrackQueues } from './track-queues.ts';

/**
 * Until when the carrier's rate limit holds its agents' look-up queue (a carrier's Retry-After, a
 * daily quota spent until 00:00 GMT); undefined when it does not. Tells an agent waiting for an
 * answer why none comes, and when it will.
 */
export async function lookupsHeldUntil(queues: Pick<TrackQueues, 'rateLimitHoldMs'>, jobSizes: Pick<JobSizes, 'workerLimiter'>, carrier: string, now: Date): Promise<Date | undefined> {
  const heldMs = await queues.rateLimitHoldMs(carrier, 'agents', jobSizes.workerLimiter(carrier, 'agents').max);
  return heldMs > 0 ? new Date(now.getTime() + heldMs) : undefined;
}
