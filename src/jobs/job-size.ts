import type { RateLimit } from '../robot-kit/define-robot.ts';
import type { RobotRegistry } from '../robot-kit/registry.ts';

/**
 * A sweep job takes about this many numbers: La Poste is asked three times (ten numbers a call),
 * FedEx once (thirty), UPS thirty times (one). The job's fixed costs (queue round trips, one store
 * transaction, one pass of the rules) are shared by thirty parcels instead of paid by each:
 * measured, a sweep's worker CPU per parcel fell by a fifth from jobs of one carrier call.
 */
export const NUMBERS_PER_JOB = 30;

/**
 * How many numbers each carrier's sweep jobs take, in how many calls, and the queue limiter
 * that keeps those calls within the carrier's rate limit (BullMQ's limiter counts jobs).
 */
export class JobSizes {
  constructor(
    private readonly registry: RobotRegistry,
    /** Per carrier, in carrier calls (config.rateLimits). */
    private readonly rateLimits: Readonly<Record<string, RateLimit | undefined>>,
  ) {}

  /** Numbers the carrier takes per call. */
  maxBatch(carrier: string): number {
    return this.registry.find(carrier)?.capabilities.track?.maxBatch ?? 1;
  }

  /**
   * Calls one sweep job makes: enough for NUMBERS_PER_JOB numbers, but never more than the
   * carrier's limit lets through in one window (a job's calls go out together), and one for a
   * portal robot (each call is pages in a browser: grouping saves nothing).
   */
  calls(carrier: string): number {
    if (this.registry.find(carrier)?.kind === 'portal') return 1;
    const wanted = Math.ceil(NUMBERS_PER_JOB / this.maxBatch(carrier));
    return Math.max(1, Math.min(wanted, this.rateLimits[carrier]?.max ?? wanted));
  }

  numbers(carrier: string): number {
    return this.calls(carrier) * this.maxBatch(carrier);
  }

  /** A job making `calls(carrier)` calls may start that many times less often than one call could. */
  limiter(carrier: string): { max: number; duration: number } | undefined {
    const rateLimit = this.rateLimits[carrier];
    return rateLimit && { max: Math.floor(rateLimit.max / this.calls(carrier)), duration: rateLimit.durationMs };
  }
}
