import type { TrackingStatus } from '../domain/tracking-status.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface NextCheckSettings {
  /** A final parcel is checked again until this many days after it became final, then never. */
  finalRecheckDays: number;
  /** Every shipment is retired this many days after it was created. */
  retireAfterDays: number;
}

export const DEFAULT_NEXT_CHECK: NextCheckSettings = { finalRecheckDays: 3, retireAfterDays: 90 };

export function nextCheckSettings(config: { FINAL_RECHECK_DAYS: number; RETIRE_AFTER_DAYS: number }): NextCheckSettings {
  return { finalRecheckDays: config.FINAL_RECHECK_DAYS, retireAfterDays: config.RETIRE_AFTER_DAYS };
}

/** What the last check of a shipment gave. */
export type CheckOutcome = 'found' | 'not_found' | 'rejected' | 'failed';

/** What the policy reads of a shipment, as stored after the check. */
export interface CheckedShipment {
  status: TrackingStatus;
  isFinal: boolean;
  /** When the robots first read it as final; undefined on the check that finds it final. */
  finalAt?: string;
  createdAt: string;
  /** Promised day or window (YYYY-MM-DD) and the carrier's estimate (ISO): the first known is the target. */
  promisedFrom?: string;
  promisedTo?: string;
  estimatedTo?: string;
}

export type NextCheckRule =
  | 'retired'
  | 'rejected'
  | 'final_recheck'
  | 'final_done'
  | 'last_mile'
  | 'failed'
  | 'not_found'
  | 'near_promise'
  | 'far_from_promise'
  | 'not_handed_over'
  | 'in_flight';

/**
 * The waits, in one table: what README "Scheduler and sweeps" documents. None is a whole day: a
 * parcel checked at 02:05 by the nightly sweep must be due again by the next night's 02:00.
 */
export const CHECK_INTERVALS: Readonly<Record<Exclude<NextCheckRule, 'retired' | 'rejected' | 'final_done'>, number>> = {
  final_recheck: 20 * HOUR,
  last_mile: 2 * HOUR,
  near_promise: 3 * HOUR,
  failed: 6 * HOUR,
  in_flight: 6 * HOUR,
  not_found: 12 * HOUR,
  far_from_promise: 12 * HOUR,
  not_handed_over: 12 * HOUR,
};

/** Statuses where the parcel changes hands within hours. */
const LAST_MILE: ReadonlySet<TrackingStatus> = new Set(['out_for_delivery', 'ready_for_pickup', 'delivery_failed']);

/** A target (promise or estimate) closer than this, or past, is "near". */
const NEAR = 2 * DAY;

/**
 * When a shipment is next due for a check, after a check at `checkedAt`: `at` null means never
 * again. Pure: the sweep takes only shipments whose time has come.
 */
export function nextCheckAt(shipment: CheckedShipment, outcome: CheckOutcome, checkedAt: Date, settings: NextCheckSettings): { at: Date | null; rule: NextCheckRule } {
  const now = checkedAt.getTime();
  const retireAt = Date.parse(shipment.createdAt) + settings.retireAfterDays * DAY;
  const after = (rule: keyof typeof CHECK_INTERVALS) => {
    const at = now + CHECK_INTERVALS[rule];
    return at >= retireAt ? { at: null, rule: 'retired' as const } : { at: new Date(at), rule };
  };
  if (now >= retireAt) return { at: null, rule: 'retired' };
  // The carrier refused the number itself: asking again cannot change that answer.
  if (outcome === 'rejected') return { at: null, rule: 'rejected' };
  // A final parcel is checked again for a few days only, whatever the carrier answers meanwhile
  // (a delivered parcel the carrier no longer finds is not asked about every 12 hours until retired).
  const finalUntil = shipment.isFinal ? (shipment.finalAt ? Date.parse(shipment.finalAt) : now) + settings.finalRecheckDays * DAY : Infinity;
  const untilFinalDone = (next: ReturnType<typeof after>) => (next.at === null || next.at.getTime() <= finalUntil ? next : { at: null, rule: 'final_done' as const });
  if (outcome === 'failed') return untilFinalDone(after('failed'));
  if (outcome === 'not_found') return untilFinalDone(after('not_found'));
  if (shipment.isFinal) return untilFinalDone(after('final_recheck'));
  if (LAST_MILE.has(shipment.status)) return after('last_mile');
  if (shipment.status === 'pending') return after('not_handed_over');
  const target = targetTime(shipment);
  if (target === undefined) return after('in_flight');
  return after(target - now <= NEAR ? 'near_promise' : 'far_from_promise');
}

/** The end of the carrier's estimate, else the end of the promised day (read as UTC: hours do not matter here). */
function targetTime(shipment: CheckedShipment): number | undefined {
  if (shipment.estimatedTo) return Date.parse(shipment.estimatedTo);
  const promised = shipment.promisedTo ?? shipment.promisedFrom;
  return promised ? Date.parse(`${promised}T23:59:59Z`) : undefined;
}
