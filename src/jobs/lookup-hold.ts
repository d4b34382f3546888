import type { JobSizes } from './job-size.ts';
import type { TrackQueues } from './track-queues.ts';

/**
 * Until when the carrier's rate limit holds its agents' look-up queue (a carrier's Retry-After, a
 * daily quota spent until 00:00 GMT); undefined when it does not. Tells an agent waiting for an
 * answer why none comes, and when it will. The queue's own limiter holds it too, up to the end of
 * its window, whenever its share of calls is taken: that is no news, only a longer hold is.
 */
export async function lookupsHeldUntil(queues: Pick<TrackQueues, 'rateLimitHoldMs'>, jobSizes: Pick<JobSizes, 'workerLimiter'>, carrier: string, now: Date): Promise<Date | undefined> {
  const limiter = jobSizes.workerLimiter(carrier, 'agents');
  const heldMs = await queues.rateLimitHoldMs(carrier, 'agents', limiter.max);
  return heldMs > limiter.duration ? new Date(now.getTime() + heldMs) : undefined;
}
