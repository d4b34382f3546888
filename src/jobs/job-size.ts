import type { RateLimit } from '../robot-kit/define-robot.ts';
import type { RobotRegistry } from '../robot-kit/registry.ts';
import type { Lane } from './track-job.ts';

/**
 * A sweep job takes about this many numbers: La Poste is asked 24 times (ten numbers a call),
 * FedEx 8 times (thirty), UPS 240 times (one). The job's fixed costs (queue round trips, six store
 * statements, one pass of the rules) are shared by 240 parcels instead of paid by each: measured
 * with sweeps of 60,000 parcels alternated on one machine, the sweep's CPU per parcel (workers,
 * PostgreSQL, Redis, simulators) fell by 13 to 17 % from 60 numbers to 240 (earlier, the workers'
 * by a fifth from jobs of one call to 30 numbers, and by a tenth from 30 to 60). A failed call
 * costs its job only that call's numbers, not all of them (track-processor.ts keeps what the
 * other calls brought).
 */
export const NUMBERS_PER_JOB = 240;

/** A limiter that never limits (see JobSizes.workerLimiter). */
const HOLD_ONLY_LIMITER = { max: Number.MAX_SAFE_INTEGER, duration: 1000 };

/**
 * How many numbers each carrier's sweep jobs take, in how many calls, and the queue limiters
 * that keep those calls within the carrier's rate limit (BullMQ's limiter counts jobs). The two
 * lanes share the limit: agents' look-ups get `agentShare` of it, the background the rest, so
 * that together they stay under it and a sweep never uses up what agents need.
 */
export class JobSizes {
  constructor(
    private readonly registry: RobotRegistry,
    /** Per carrier, in carrier calls (config.rateLimits). */
    private readonly rateLimits: Readonly<Record<string, RateLimit | undefined>>,
    /** The part of each carrier's rate limit kept for agents' look-ups, from 0 to 1 (AGENT_RATE_SHARE). */
    private readonly agentShare: number,
    /** Per carrier with a daily quota, the day's calls the background may make (DailyCallBudget.backgroundLimits). */
    private readonly backgroundDailyCalls: Readonly<Record<string, number>> = {},
  ) {}

  /** Numbers the carrier takes per call. */
  maxBatch(carrier: string): number {
    return this.registry.find(carrier)?.capabilities.track?.maxBatch ?? 1;
  }

  /**
   * Calls one sweep job makes: enough for NUMBERS_PER_JOB numbers, but never more than the
   * background's share of the carrier's limit lets through in one window (a job's calls go out
   * together), nor than its share of the daily quota (a job is refused whole when its calls do not
   * fit in what is left of it), and one for a portal robot (each call is pages in a browser:
   * grouping saves nothing).
   */
  calls(carrier: string): number {
    if (this.registry.find(carrier)?.kind === 'portal') return 1;
    const rateLimit = this.rateLimits[carrier];
    const caps = [Math.ceil(NUMBERS_PER_JOB / this.maxBatch(carrier)), this.backgroundDailyCalls[carrier] ?? Infinity];
    if (rateLimit) caps.push(Math.floor(rateLimit.max * (1 - this.agentShare)));
    return Math.max(1, Math.min(...caps));
  }

  numbers(carrier: string): number {
    return this.calls(carrier) * this.maxBatch(carrier);
  }

  /** The lane's share of the carrier's calls, in jobs: an agent's look-up makes one call, a sweep job `calls(carrier)`. */
  limiter(carrier: string, lane: Lane): { max: number; duration: number } | undefined {
    const rateLimit = this.rateLimits[carrier];
    if (!rateLimit) return undefined;
    const [share, callsPerJob] = lane === 'agents' ? [this.agentShare, 1] : [1 - this.agentShare, this.calls(carrier)];
    const jobsPerWindow = (rateLimit.max * share) / callsPerJob;
    // BullMQ's limiter lets whole jobs through: under one job a window becomes one job a longer window.
    return jobsPerWindow >= 1 ? { max: Math.floor(jobsPerWindow), duration: rateLimit.durationMs } : { max: 1, duration: Math.ceil(rateLimit.durationMs / jobsPerWindow) };
  }

  /**
   * The limiter a queue's workers run with: `limiter`'s, or for a carrier without a rate limit one
   * that never limits. BullMQ reads a queue's hold (`worker.rateLimit`: a carrier's 429, the
   * background's daily share spent) only on a queue with a limiter; without one, the hold would
   * stop nothing but the worker that met it. Its `max` is also what tells a hold from the
   * limiter's own counting (TrackQueues.rateLimitHoldMs).
   */
  workerLimiter(carrier: string, lane: Lane): { max: number; duration: number } {
    return this.limiter(carrier, lane) ?? HOLD_ONLY_LIMITER;
  }
}
