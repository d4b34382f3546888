import type { ClaimType } from '../../domain/claim.ts';
import { dayInZone } from '../../domain/calendar-day.ts';
import type { Shipment } from '../../domain/shipment.ts';
import { timeOnDay } from '../../domain/time-zone.ts';
import type { TrackingStatus } from '../../domain/tracking-status.ts';
import type { Verdict } from '../../domain/verdict.ts';
import { RobotError } from '../../robot-kit/robot-error.ts';
import { FollowUpDeferral } from '../follow-up-errors.ts';
import { stableJson } from '../follow-up-id.ts';
import type { ClaimWindowRule, ClaimWindows } from './claim-windows.ts';

/** What tells that a parcel not delivered yet will not be: its carrier's status, else its verdict. */
const NOT_COMING_STATUSES: Partial<Record<TrackingStatus, string>> = {
  lost: 'was declared lost by its carrier',
  cancelled: 'was cancelled',
  return_to_sender: 'is going back to the sender',
};
const NOT_COMING_VERDICTS: Partial<Record<Verdict, string>> = {
  lost_suspected: 'looks lost (no scan for longer than its carrier allows)',
  returned: 'was returned to the sender',
  cancelled: 'was cancelled',
};

/** Whether the window is counted from the delivery alone, so that it has no date before it (damage: 3 days after receipt). */
function countsFromDeliveryAlone(rule: ClaimWindowRule): boolean {
  return rule.closes.from.every((anchor) => anchor === 'delivered');
}

/**
 * A claim whose window counts from the delivery alone waits for the delivery: before it, the
 * window has no date, and a damage claim needs what only the receiver has (the reasoned protest
 * after receipt that L133-3 asks for, photos of the contents and packaging). So, for a parcel
 * not delivered yet (the carrier reported it damaged on the way):
 * - while it may still be delivered: FollowUpDeferral until the start of the next day (merchant's
 *   calendar), where it is checked again, the shipment as the robots last read it;
 * - once it will not be (lost, cancelled, going back to the sender, or looking lost): RobotError
 *   FOLLOW_UP_INVALID, nothing filed, a manager decides (a loss claim, or a damage claim on the
 *   carrier's own report), rather than the claim waiting for ever.
 * Returns when the claim need not wait.
 */
export function checkDeliveryAwaited(type: ClaimType, shipment: Shipment, rule: ClaimWindowRule, windows: ClaimWindows, now: Date): void {
  if (shipment.status === 'delivered' || shipment.deliveredAt !== undefined || !countsFromDeliveryAlone(rule)) return;
  const { time_zone: timeZone } = windows.calendar;
  const parcel = `parcel ${shipment.trackingNumber} with ${shipment.carrier}`;
  const notComing = NOT_COMING_STATUSES[shipment.status] ?? (shipment.verdict && NOT_COMING_VERDICTS[shipment.verdict]);
  if (notComing) {
    throw new RobotError(
      'FOLLOW_UP_INVALID',
      `no ${type} claim filed for ${parcel}: its window counts from the delivery, and the parcel ${notComing}; a manager decides whether to claim for loss, or for the damage on the carrier's own report (window: ${rule.source})`,
      { evidence: { step: 'claim window', body: stableJson({ type, carrier: shipment.carrier, status: shipment.status, verdict: shipment.verdict ?? null, waitsFor: 'delivered', source: rule.source }) } },
    );
  }
  const tomorrow = timeOnDay(now, timeZone, 1);
  throw new FollowUpDeferral(
    tomorrow,
    `the ${type} claim window for ${parcel} counts from the delivery, and the parcel is not delivered yet (${shipment.status}): checked again on ${dayInZone(tomorrow, timeZone)} (${timeZone}); ${rule.source}`,
  );
}
