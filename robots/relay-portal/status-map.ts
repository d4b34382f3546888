import type { ClaimStatus, ClaimType } from '../../src/domain/claim.ts';
import type { StatusReason } from '../../src/domain/status-reason.ts';
import type { TrackingStatus } from '../../src/domain/tracking-status.ts';

export interface StatusMapping {
  status: TrackingStatus;
  reason?: StatusReason;
  /** The carrier will not move the parcel any more. */
  final?: true;
}

/**
 * The event codes of the portal's parcel pages (the status badge carries the newest one), with
 * the label the portal shows for each. The carrier publishes no list: these are the codes its
 * pages show, and each choice below says why.
 */
const EVENT_CODES: Readonly<Record<string, StatusMapping>> = {
  // "Shipment created by the sender": a label exists, the parcel is not in the network yet.
  CRE: { status: 'pending', reason: 'retailer_label_created' },
  // "Dropped at relay point": the sender handed it to a relay shop, the carrier now has it.
  DEP: { status: 'picked_up' },
  // "Arrived at sorting hub": moving through the network.
  HUB: { status: 'in_transit' },
  // "In transit to the destination relay": on the truck to the chosen relay shop.
  TRN: { status: 'in_transit' },
  // "Delayed at sorting hub": the carrier's own hold-up, no cause given; not a failed delivery.
  DLY: { status: 'delivery_delayed', reason: 'carrier_incident' },
  // "Arrived at destination relay": at the shop but not yet checked in; RDY tells the customer.
  ARR: { status: 'in_transit' },
  // "Relay point closed: parcel redirected to another relay": the shop cannot take it; it moves
  // on to another relay, later than planned.
  RLC: { status: 'delivery_delayed', reason: 'consignee_business_closed' },
  // "Ready for pickup at relay": the recipient can collect it (14 days).
  RDY: { status: 'ready_for_pickup' },
  // "Collected by the recipient": a relay parcel's delivery.
  COL: { status: 'delivered', final: true },
  // "Not collected within 14 days": the pickup window ran out; a return follows.
  NCL: { status: 'return_to_sender', reason: 'consignee_not_collected' },
  // "Returning to sender": on its way back; the code gives no cause.
  RET: { status: 'return_to_sender' },
  // "Returned to sender": the return reached the sender. Final, and not a delivery to the customer.
  RTS: { status: 'return_to_sender', reason: 'carrier_returned_to_sender', final: true },
  // "Damaged in transit": the carrier reports the damage itself; a claim case.
  DMG: { status: 'damaged', reason: 'carrier_damaged_parcel' },
  // "Declared lost": the carrier gave up looking; final, a claim case.
  LST: { status: 'lost', reason: 'carrier_parcel_lost', final: true },
  // "Shipment cancelled by the sender": the label was voided before drop-off.
  CAN: { status: 'cancelled', final: true },
};

/** The normalized status of a portal event code, or undefined when the code is not known. */
export function mapRelayCode(code: string): StatusMapping | undefined {
  return Object.hasOwn(EVENT_CODES, code) ? EVENT_CODES[code] : undefined;
}

/** The claims list's status labels. */
const CLAIM_STATUS_LABELS: Readonly<Record<string, ClaimStatus>> = {
  // Registered, nobody has looked at it yet.
  Submitted: 'submitted',
  // The carrier is searching for the parcel or assessing the damage.
  'Under investigation': 'under_investigation',
  // Compensation agreed, not paid yet.
  Accepted: 'accepted',
  // No compensation; the note says why.
  Refused: 'refused',
  // The compensation was transferred; the note gives the amount.
  Paid: 'paid',
};

/** The claim form's and the claims list's type labels. */
const CLAIM_TYPE_LABELS: Readonly<Record<string, ClaimType>> = {
  // Never delivered nor returned.
  'Lost parcel': 'lost',
  // Delivered after the promised day.
  'Late delivery': 'late',
  // Delivered broken or with missing contents.
  'Damaged parcel': 'damaged',
};

export function mapClaimStatusLabel(label: string): ClaimStatus | undefined {
  return Object.hasOwn(CLAIM_STATUS_LABELS, label) ? CLAIM_STATUS_LABELS[label] : undefined;
}

export function mapClaimTypeLabel(label: string): ClaimType | undefined {
  return Object.hasOwn(CLAIM_TYPE_LABELS, label) ? CLAIM_TYPE_LABELS[label] : undefined;
}
