import type { TrackingEvent } from '../domain/tracking-event.ts';
import type { TrackingStatus } from '../domain/tracking-status.ts';
import type { Verdict } from '../domain/verdict.ts';
import { type BusinessCalendar, calendarFor, type LocalDay } from './business-calendar.ts';
import type { CarrierSettings } from './carrier-settings.ts';
import { capitalize, describeDay, plural } from './describe-day.ts';
import { deliveredBy, type LinkedShipment, shipmentAsOf, type ShipmentAsOf, type VerdictShipment } from './shipment-as-of.ts';

export interface VerdictInput {
  shipment: VerdictShipment;
  /** The shipment's scans, newest first (order is not relied on). */
  events: readonly TrackingEvent[];
  now: Date;
  /** The carrier's settings: `carrierSettings(shipment.carrier, overrides)`. */
  settings: CarrierSettings;
  /** Reshipments of this shipment (replacements sent for it). */
  reshipments?: readonly LinkedShipment[];
}

export interface VerdictResult {
  verdict: Verdict;
  /** Why, one sentence each, for managers. */
  reasons: string[];
  /** The promise's last day (`YYYY-MM-DD`), when there is a promise. */
  promisedBy?: string;
  /** Business days from the promise's last day to the delivery (delivered late) or to now (late). */
  businessDaysLate?: number;
  /** Business days from the last scan's day to now's, when there is a scan. */
  businessDaysSinceLastScan?: number;
}

/**
 * Statuses in which no scan for days says nothing: a label the carrier never had (`pending`), and
 * a parcel waiting at a pickup point, which is scanned on arrival only and held there for one to
 * two weeks before it goes back (scanned again then).
 */
const QUIET_STATUSES: ReadonlySet<TrackingStatus> = new Set(['pending', 'ready_for_pickup']);

/** Statuses in which the carrier itself reports a problem. */
const INCIDENT_STATUSES: ReadonlySet<TrackingStatus> = new Set(['delivery_failed', 'delivery_delayed', 'on_hold', 'damaged']);

/**
 * How a shipment stands against its promise at `now` (README, "Promises and rules"). The first
 * verdict that applies, in this order:
 *
 *  1. unknown            the carrier's status is `unknown` (nothing usable read yet, or an unmapped code)
 *  2. delivered_twice    delivered, and a reshipment of it delivered too
 *  3. delivered_on_time  delivered on or before the promise's last day (or with no promise)
 *     delivered_late     delivered after it
 *  4. cancelled, returned (status `return_to_sender`)
 *  5. lost_suspected     the carrier says lost, or no scan for the carrier's `lostAfterBusinessDays`
 *                        (not for a parcel still `pending`: the carrier never had it; nor for one
 *                        waiting at a pickup point)
 *     on_time            waiting at a pickup point since the promise's last day or before
 *  6. late               the promise's last day is over in the destination country
 *  7. at_risk            the carrier's estimate is after the promise, no scan for longer than the
 *                        carrier's `scanGapHours` (not at a pickup point), a `pending` parcel past that gap, or the carrier
 *                        reports an incident (failed attempt, delay, hold, damage)
 *  8. on_time            otherwise; with no promise, when there are scans (judged on scans alone)
 *  9. unknown            no promise and no scan: nothing to judge
 *
 * Lost comes before late because it says more (a claim for loss, not for delay); late before
 * at_risk because a promise already broken is no longer a risk.
 */
export function computeVerdict(input: VerdictInput): VerdictResult {
  const { shipment, now, settings } = input;
  const calendar = calendarFor(shipment.destinationCountry);
  const state = shipmentAsOf(shipment, input.events, now);
  const today = calendar.dayOf(now);
  const promisedBy = shipment.promisedTo ?? shipment.promisedFrom;
  const sinceScan = state.lastScanAt && calendar.businessDaysBetween(calendar.dayOf(state.lastScanAt), today);
  const result = (verdict: Verdict, reasons: string[], extra: Partial<VerdictResult> = {}): VerdictResult => ({
    verdict,
    reasons: [...reasons, ...calendarNotes(calendar)],
    ...(promisedBy ? { promisedBy } : {}),
    ...(sinceScan === undefined ? {} : { businessDaysSinceLastScan: sinceScan }),
    ...extra,
  });
  const promised = promisedBy ? `promised by ${describeDay(promisedBy)}` : undefined;

  if (state.status === 'unknown') return result('unknown', [`${capitalize(promised ?? 'no promise was recorded')}; the carrier gives no usable status.`]);

  if (state.status === 'delivered') {
    const deliveredDay = state.deliveredAt && calendar.dayOf(state.deliveredAt);
    const delivered = deliveredDay ? `Delivered on ${describeDay(deliveredDay)}` : 'Delivered (the carrier gave no time)';
    const twice = (input.reshipments ?? []).filter((linked) => deliveredBy(linked, now));
    if (twice.length > 0) {
      const numbers = twice.map((linked) => linked.trackingNumber ?? 'a reshipment').join(', ');
      return result('delivered_twice', [`${delivered}, and its reshipment (${numbers}) was delivered too.`]);
    }
    if (!promisedBy) return result('delivered_on_time', [`${delivered}; no promise was recorded, so it cannot be late.`]);
    if (!deliveredDay || deliveredDay <= promisedBy) return result('delivered_on_time', [`${delivered}, promised by ${describeDay(promisedBy)}.`]);
    const late = calendar.businessDaysBetween(promisedBy, deliveredDay);
    return result('delivered_late', [`${delivered}, promised by ${describeDay(promisedBy)}: ${plural(late, 'business day')} late.`], { businessDaysLate: late });
  }

  if (state.status === 'cancelled') return result('cancelled', ['The carrier says the shipment was cancelled.']);
  if (state.status === 'return_to_sender') return result('returned', ['The carrier is returning the parcel to the sender.']);

  const silence = state.lastScanAt && `No scan since ${describeDay(calendar.dayOf(state.lastScanAt))}: ${plural(sinceScan ?? 0, 'business day')}`;
  if (state.status === 'lost') return result('lost_suspected', ['The carrier declared the parcel lost.']);
  if (!QUIET_STATUSES.has(state.status) && sinceScan !== undefined && sinceScan >= settings.lostAfterBusinessDays) {
    return result('lost_suspected', [`${silence}, at least the ${settings.lostAfterBusinessDays} after which ${shipment.carrier} parcels are suspected lost.`]);
  }

  const availableDay = state.status === 'ready_for_pickup' && state.lastScanAt ? calendar.dayOf(state.lastScanAt) : undefined;
  if (promisedBy && availableDay && availableDay <= promisedBy) {
    // The carrier kept the promise: the parcel waits for the customer, who has not collected it yet.
    return result('on_time', [`Waiting at the pickup point since ${describeDay(availableDay)}, ${promised}: made available in time, not collected yet.`]);
  }
  if (promisedBy && today > promisedBy) {
    const late = calendar.businessDaysBetween(promisedBy, today);
    return result('late', [`Promised by ${describeDay(promisedBy)} and not delivered: ${plural(late, 'business day')} late.`], { businessDaysLate: late });
  }

  const risks = riskReasons(input, calendar, state, promisedBy);
  if (risks.length > 0) return result('at_risk', [...(promised ? [`${capitalize(promised)}.`] : []), ...risks]);
  if (promised) return result('on_time', [`${capitalize(promised)}, not passed yet.`]);
  if (state.lastScanAt) return result('on_time', ['No promise was recorded: judged on its scans alone, which come regularly.']);
  return result('unknown', ['No promise was recorded and the carrier has not scanned the parcel: nothing to judge.']);
}

function riskReasons(input: VerdictInput, calendar: BusinessCalendar, state: ShipmentAsOf, promisedBy: LocalDay | undefined): string[] {
  const { shipment, settings, now } = input;
  const reasons: string[] = [];
  const estimate = shipment.estimatedTo ?? shipment.estimatedFrom;
  const estimateDay = estimate && !Number.isNaN(Date.parse(estimate)) ? calendar.dayOf(new Date(estimate)) : undefined;
  if (promisedBy && estimateDay && estimateDay > promisedBy) reasons.push(`The carrier expects to deliver on ${describeDay(estimateDay)}, after the promise.`);
  if (state.lastScanAt && state.status !== 'ready_for_pickup') {
    const hours = Math.floor(calendar.businessHoursBetween(state.lastScanAt, now));
    if (hours > settings.scanGapHours) {
      const what = state.status === 'pending' ? 'The label was created but the carrier has not scanned the parcel for' : 'No scan for';
      reasons.push(`${what} ${plural(hours, 'business-day hour')}, more than the ${settings.scanGapHours} usual for ${shipment.carrier}.`);
    }
  }
  if (INCIDENT_STATUSES.has(state.status)) reasons.push(`The carrier reports a problem (${state.status}).`);
  return reasons;
}

function calendarNotes(calendar: BusinessCalendar): string[] {
  return calendar.knowsHolidays ? [] : [`Public holidays of ${calendar.country} are not known: only weekends are skipped, in UTC.`];
}
