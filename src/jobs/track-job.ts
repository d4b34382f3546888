import { z } from 'zod';
import type { LookupAnswer } from '../domain/lookup-answer.ts';
import { TRACKING_STATUSES } from '../domain/tracking-status.ts';

/**
 * Which work a queue holds. Agents' look-ups have queues of their own, so that one never waits
 * behind sweep work: not in a queue, and not for CPU either when workers of their own
 * (`parcelbot worker --lane agents`) serve them. The background lane holds sweeps and the checks
 * rules schedule.
 */
export const LANES = ['agents', 'background'] as const;
export type Lane = (typeof LANES)[number];

/** Two BullMQ queues per carrier, one per lane: a carrier's rate limit and its 429 pauses apply to that carrier alone. */
export function trackQueueName(carrier: string, lane: Lane): string {
  return lane === 'agents' ? `lookup-${carrier}` : `track-${carrier}`;
}

/** The lane of a track queue named by trackQueueName; undefined for any other queue. */
export function laneOf(queueName: string): Lane | undefined {
  if (queueName.startsWith('lookup-')) return 'agents';
  return queueName.startsWith('track-') ? 'background' : undefined;
}

export const TRACK_JOB_NAME = 'track';

/** What made a track job: an agent's look-up, a sweep, or a check a rule scheduled (rule action `check`). */
export const TRACK_ORIGINS = ['agent', 'sweep', 'check'] as const;
export type TrackOrigin = (typeof TRACK_ORIGINS)[number];

/** A number's result as a sweep's job returns it (TrackResult without an agent's answer). */
const keptResultSchema = z.object({
  trackingNumber: z.string().min(1),
  carrier: z.string().min(1),
  /** `failed`: the carrier's answer for this number alone could not be read; an exception is open for it. */
  outcome: z.enum(['found', 'not_found', 'rejected', 'failed']),
  status: z.enum(TRACKING_STATUSES).optional(),
  message: z.string().optional(),
  errorCode: z.string().optional(),
});

export const trackJobSchema = z.object({
  carrier: z.string().min(1),
  trackingNumbers: z.array(z.string().min(1)).min(1),
  origin: z.enum(TRACK_ORIGINS),
  /** Who asked, for an agent look-up (an agent id, `cli:<user>`...). */
  requestedBy: z.string().optional(),
  /** An agent's look-up that must ask the carrier even when the store's answer is fresh. */
  refresh: z.boolean().optional(),
  sweepId: z.string().optional(),
  /**
   * The results of numbers already checked and stored by an earlier attempt of this job, which
   * failed on a later call: `trackingNumbers` then holds only the numbers left to ask, and the
   * job's result lists both (src/jobs/track-processor.ts).
   */
  answered: z.array(keptResultSchema).optional(),
});

export type TrackJobData = z.infer<typeof trackJobSchema>;

/** What a track job returns for each of its numbers. Sweep results stay small: Redis keeps them. */
export type TrackResult = z.infer<typeof keptResultSchema> & {
  /** The full answer, for agent look-ups only. */
  answer?: LookupAnswer;
};

export interface TrackJobResult {
  results: TrackResult[];
}
