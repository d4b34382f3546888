import type { StatusReason } from '../../src/domain/status-reason.ts';
import type { TrackingStatus } from '../../src/domain/tracking-status.ts';
import { reasonOfExceptionCode } from './exception-reasons.ts';

export interface StatusMapping {
  status: TrackingStatus;
  reason?: StatusReason;
  /** UPS says the parcel will not move any more, although the status alone does not say so. */
  final?: true;
  /**
   * The code says nothing about where the parcel is (a claim, a photo, a changed date): the event
   * keeps the status of the activity before it, so a delivery photo after the delivery does not
   * read as a step backwards. `status` is used only when no activity came before.
   */
  informational?: true;
}

const informational = (status: TrackingStatus, extra: Partial<StatusMapping> = {}): StatusMapping => ({ status, informational: true, ...extra });

/**
 * UPS 3-digit Status/Description codes (`status.statusCode`, zero-padded on the wire), every code
 * of specs/ups-status-description-codes.txt. The code is the most precise signal UPS sends, so it
 * decides the status; the exception code of an `X` activity may add the reason (exception-reasons.ts).
 */
const STATUS_CODES: Readonly<Record<string, StatusMapping>> = {
  // Status Not Available: UPS itself has no status to give.
  '000': { status: 'unknown' },
  // Shipment Ready for UPS: a label exists, UPS has not received the parcel (manifest MP / DP).
  '003': { status: 'pending', reason: 'retailer_label_created' },
  // On the Way: moving in the UPS network.
  '005': { status: 'in_transit' },
  // Out for Delivery.
  '006': { status: 'out_for_delivery' },
  // Shipment Information Voided: the shipper cancelled the label (manifest VP), nothing will ship.
  '007': { status: 'cancelled' },
  // On the Way.
  '010': { status: 'in_transit' },
  // Delivered.
  '011': { status: 'delivered' },
  // Clearance in Progress: routine customs clearance, not a hold (058, 123-126 are the holds).
  '012': { status: 'in_transit' },
  // Exception: generic; the exception code of the activity says why, when UPS gives one.
  '013': { status: 'delivery_delayed' },
  // Clearance Completed: out of customs, moving again.
  '014': { status: 'in_transit' },
  // In Warehouse: stored in a UPS (freight) warehouse on its way, not held for a reason.
  '016': { status: 'in_transit' },
  // Held for Customer Pickup: waiting at a UPS counter for the receiver.
  '017': { status: 'ready_for_pickup' },
  // Delivery Change Requested: Hold for Pickup: asked for, not yet at the counter (017 follows).
  '018': { status: 'in_transit' },
  // Held for Future Delivery: UPS keeps it until a later date.
  '019': { status: 'on_hold' },
  // Held for Future Delivery Requested: the hold is asked for; the parcel stops until that date.
  '020': { status: 'on_hold' },
  // Out for Delivery.
  '021': { status: 'out_for_delivery' },
  // First Attempt Made: the delivery failed; the exception code usually says why (receiver absent...).
  '022': { status: 'delivery_failed' },
  // Second Delivery Attempted: failed again.
  '023': { status: 'delivery_failed' },
  // Final Attempt Made: the last attempt failed; a return or a pickup follows.
  '024': { status: 'delivery_failed' },
  // On the Way.
  '025': { status: 'in_transit' },
  // Delivered by Local Post Office: SurePost / Mail Innovations final delivery by the post.
  '026': { status: 'delivered' },
  // Delivery Address Change Requested: still moving, to a new address.
  '027': { status: 'in_transit' },
  // Delivery Address Changed.
  '028': { status: 'in_transit' },
  // Exception: Action Required: stopped until someone acts; the exception code says who and why.
  '029': { status: 'on_hold' },
  // Local Post Office Exception: the post (SurePost) reports a problem without saying which.
  '030': { status: 'delivery_delayed' },
  // Adverse Weather May Cause Delay.
  '032': { status: 'delivery_delayed', reason: 'weather_delay' },
  // Return to Sender Requested: it will go back; for the customer the parcel is not coming.
  '033': { status: 'return_to_sender' },
  // Returned to Sender: the return reached the shipper; nothing more will move.
  '034': { status: 'return_to_sender', reason: 'carrier_returned_to_sender', final: true },
  // Returning to Sender.
  '035': { status: 'return_to_sender' },
  // Returning to Sender: In Transit.
  '036': { status: 'return_to_sender' },
  // Out for Delivery.
  '037': { status: 'out_for_delivery' },
  // Picked Up by UPS: UPS accepted the parcel.
  '038': { status: 'picked_up' },
  // On the Way.
  '039': { status: 'in_transit' },
  // Ready for Customer Pickup.
  '040': { status: 'ready_for_pickup' },
  // Service Upgrade Requested: a change of service, not a movement.
  '041': informational('in_transit'),
  // Service Upgraded: a change of service, not a movement.
  '042': informational('in_transit'),
  // Voided Pickup: the pickup request was cancelled; UPS still does not have the parcel.
  '043': { status: 'pending' },
  // On the Way to UPS: left the shipper (e.g. via an Access Point) but UPS has not scanned it in.
  '044': { status: 'pending' },
  // On the Way to UPS.
  '045': { status: 'pending' },
  // Delay: announced without a cause.
  '046': { status: 'delivery_delayed' },
  // On the Way.
  '047': { status: 'in_transit' },
  // Delay.
  '048': { status: 'delivery_delayed' },
  // Delay: Action Required: stopped until someone acts, like 029.
  '049': { status: 'on_hold' },
  // Address Information Required: the address is incomplete or wrong; waits for a correction.
  '050': { status: 'on_hold', reason: 'consignee_incorrect_address' },
  // Delay: Emergency Situation or Severe Weather: either one, so the wider reason.
  '051': { status: 'delivery_delayed', reason: 'force_majeure' },
  // Delay: Severe Weather.
  '052': { status: 'delivery_delayed', reason: 'weather_delay' },
  // Delay: Severe Weather.
  '053': { status: 'delivery_delayed', reason: 'weather_delay' },
  // Delivery Change Requested: still moving, with new instructions.
  '054': { status: 'in_transit' },
  // Rescheduled Delivery: UPS moved the delivery to a later day.
  '055': { status: 'delivery_delayed' },
  // Service Upgrade Requested: a change of service, not a movement.
  '056': informational('in_transit'),
  // On the Way to a Local UPS Access Point.
  '057': { status: 'in_transit' },
  // Clearance Information Required: customs wait for documents or data.
  '058': { status: 'on_hold', reason: 'customs_documentation' },
  // Damage Reported.
  '059': { status: 'damaged', reason: 'carrier_damaged_parcel' },
  // Delivery Attempted: failed; the exception code usually says why.
  '060': { status: 'delivery_failed' },
  // Delivery Attempted: Adult Signature Required: no adult was there to sign.
  '061': { status: 'delivery_failed', reason: 'consignee_not_home' },
  // Delivery Attempted: Funds Required: C.O.D. or import charges were not paid; no reason of the
  // taxonomy tells a C.O.D. from duties, so none is given (the exception code may add one).
  '062': { status: 'delivery_failed' },
  // Delivery Change Completed.
  '063': { status: 'in_transit' },
  // Delivery Refused: the receiver refused it; a return usually follows.
  '064': { status: 'delivery_failed', reason: 'consignee_refused' },
  // Pickup Attempted: UPS could not collect it from the shipper.
  '065': { status: 'pending' },
  // Post Office Delivery Attempted: the post (SurePost) failed to deliver.
  '066': { status: 'delivery_failed' },
  // Returned to Sender by Post Office: on its way back, not yet confirmed at the shipper.
  '067': { status: 'return_to_sender', reason: 'carrier_returned_to_sender' },
  // Sent to Lost and Found: UPS no longer knows whose parcel it is.
  '068': { status: 'lost', reason: 'carrier_parcel_lost' },
  // Unable to Deliver.
  '069': { status: 'delivery_failed' },
  // Package not at UPS Access Point yet: on its way there.
  '070': { status: 'in_transit' },
  // Preparing for Delivery (YP): at the delivery centre, may or may not leave today.
  '071': { status: 'in_transit' },
  // Loaded on Delivery Vehicle (OD): "delivery might not be today", so not out for delivery yet.
  '072': { status: 'in_transit' },
  // In Transit to UPS Delivery Partner.
  '073': { status: 'in_transit' },
  // UPS Delivery Partner has Shipment.
  '074': { status: 'in_transit' },
  // Scheduled for Delivery.
  '075': { status: 'in_transit' },
  // UPS Delivery Partner Exception: the partner reports a problem without saying which.
  '076': { status: 'delivery_delayed' },
  // Scheduled for Pickup Today: UPS will collect it from the shipper today.
  '077': { status: 'pending' },
  // Your Driver is Arriving Soon!
  '078': { status: 'out_for_delivery' },
  // Order Processed: In Transit to UPS: on its way to UPS, not received.
  '079': { status: 'pending' },
  // Order Processed: Ready for UPS: a label exists, UPS has not received the parcel.
  '080': { status: 'pending', reason: 'retailer_label_created' },
  // Returned - Damage Reported: going back to the shipper because it was damaged.
  '081': { status: 'return_to_sender', reason: 'carrier_damaged_parcel' },
  // Delivery Instructions Received: instructions, not a movement.
  '082': informational('in_transit'),
  // Held: UPS keeps the parcel; the exception code may say why.
  '083': { status: 'on_hold' },
  // Cleared: released by customs, moving again.
  '084': { status: 'in_transit' },
  // Held for COD Payment: held until the receiver pays the C.O.D. (no taxonomy reason for C.O.D.).
  '085': { status: 'on_hold' },
  // Delay.
  '086': { status: 'delivery_delayed' },
  // On the Way.
  '087': { status: 'in_transit' },
  // Test: a status UPS uses in its test environment, not about a real parcel.
  '088': { status: 'unknown' },
  // Out for Delivery.
  '089': { status: 'out_for_delivery' },
  // Delay.
  '090': { status: 'delivery_delayed' },
  // Out for Delivery.
  '091': { status: 'out_for_delivery' },
  // Customs Clearance in Progress: routine clearance, like 012.
  '092': { status: 'in_transit' },
  // Premier Recovery In Progress: UPS is searching for a (sensor-tracked) Premier parcel.
  '093': { status: 'delivery_delayed', reason: 'carrier_incident' },
  // Premier Recovery Completed: found, moving again.
  '094': { status: 'in_transit' },
  // Additional Attempt Requested: a new attempt is planned after a failed one.
  '095': { status: 'in_transit' },
  // Address Change Confirmed.
  '096': { status: 'in_transit' },
  // Address Change Requested.
  '097': { status: 'in_transit' },
  // Deliver to Original Address Requested.
  '098': { status: 'in_transit' },
  // Deliver to Original Address Confirmed.
  '099': { status: 'in_transit' },
  // Hold at UPS Access Point Confirmed: on its way to the Access Point (161 says it arrived).
  '100': { status: 'in_transit' },
  // Hold at UPS Access Point Requested.
  '101': { status: 'in_transit' },
  // Hold for Courier Requested: UPS keeps it until a courier collects it.
  '102': { status: 'on_hold' },
  // Hold for Courier Confirmed.
  '103': { status: 'on_hold' },
  // Hold for Instructions Confirmed: stopped until someone says what to do.
  '104': { status: 'on_hold' },
  // Hold for Instructions Requested.
  '105': { status: 'on_hold' },
  // Hold for Pickup Confirmed: kept at a UPS facility for the receiver (017 says it is there).
  '106': { status: 'on_hold' },
  // Hold for Pickup Requested.
  '107': { status: 'on_hold' },
  // Hold for Pickup Today Confirmed.
  '108': { status: 'on_hold' },
  // Hold for Pickup Today Requested.
  '109': { status: 'on_hold' },
  // Refrigeration Confirmed: handling of the contents, not a movement.
  '110': informational('in_transit'),
  // Refrigeration Requested.
  '111': informational('in_transit'),
  // Re-Ice Confirmed.
  '112': informational('in_transit'),
  // Re-Ice Requested.
  '113': informational('in_transit'),
  // Request Canceled: a change request was withdrawn; the parcel is where it was.
  '114': informational('in_transit'),
  // Reschedule Delivery Confirmed: rescheduled at the customer's request, not a carrier delay.
  '115': { status: 'in_transit' },
  // Reschedule Delivery Requested.
  '116': { status: 'in_transit' },
  // Return by Saturday Confirmed: a return is scheduled for Saturday.
  '117': { status: 'return_to_sender' },
  // Return to Sender Confirmed.
  '118': { status: 'return_to_sender' },
  // Return to Sender Requested.
  '119': { status: 'return_to_sender' },
  // Saturday Delivery Confirmed: a delivery option, not a movement.
  '120': informational('in_transit'),
  // Saturday Delivery Requested.
  '121': informational('in_transit'),
  // Upgrade Confirmed: a change of service, not a movement.
  '122': informational('in_transit'),
  // Pending Release From Non-UPS Broker: customs hold on the broker's side.
  '123': { status: 'on_hold', reason: 'customs_delay' },
  // Clearance Information Needed.
  '124': { status: 'on_hold', reason: 'customs_documentation' },
  // Clearance Information Needed.
  '125': { status: 'on_hold', reason: 'customs_documentation' },
  // Pending Government Agency Release.
  '126': { status: 'on_hold', reason: 'customs_delay' },
  // Investigation Closed: the outcome is not in the code; the parcel is where the last scan put it.
  '127': informational('in_transit'),
  // Investigation Canceled: same.
  '128': informational('in_transit'),
  // Investigation Opened: a trace is running (parcel missing, damaged or disputed).
  '129': { status: 'on_hold', reason: 'carrier_incident' },
  // Claim in Progress: about money, not where the parcel is.
  '130': informational('in_transit'),
  // Final Pickup Attempted: UPS still could not collect it from the shipper.
  '131': { status: 'pending' },
  // Airport Security Delay: no reason of the taxonomy fits a security screening.
  '132': { status: 'delivery_delayed' },
  // Return Label Left With Customer: a detail of the delivery, not a movement.
  '133': informational('delivered'),
  // Cleared Import Customs.
  '134': { status: 'in_transit' },
  // Second Pickup Attempted: still not collected from the shipper.
  '135': { status: 'pending' },
  // Delivery Rescheduled for Saturday: delivery moved to a later day.
  '136': { status: 'delivery_delayed' },
  // Transferred to UPS Delivery Partner.
  '137': { status: 'in_transit' },
  // Awaiting Scheduled Departure.
  '138': { status: 'in_transit' },
  // Security Access Required: the driver could not get in; waits for access from the receiver.
  '139': { status: 'on_hold' },
  // Claim Paid: UPS paid for the parcel and closed the case, so it will not move any more.
  '140': informational('in_transit', { final: true }),
  // Incomplete Documentation Received: listed with the claim codes (140, 142), about the claim file.
  '141': informational('in_transit'),
  // Claim Voided: about money, not where the parcel is.
  '142': informational('in_transit'),
  // Delivered to Agent: SurePost handed to the postal agent for the final delivery; not yet received.
  '143': { status: 'in_transit' },
  // Delivered to Post Office for Pickup: the receiver must collect it at the post office.
  '144': { status: 'ready_for_pickup' },
  // Delivery Attempted.
  '145': { status: 'delivery_failed' },
  // Out for Delivery.
  '146': { status: 'out_for_delivery' },
  // Seized by Law Enforcement, No Longer in UPS possession: it will never arrive.
  '147': { status: 'lost', reason: 'force_majeure' },
  // Package Information Unavailable: UPS has no status to give.
  '148': { status: 'unknown' },
  // Prohibited Contents, Package Destroyed: it will never arrive; the shipper's doing, not a carrier loss.
  '149': { status: 'lost' },
  // Updated Delivery Time: a new estimate (read from deliveryTime), not a movement.
  '153': informational('in_transit'),
  // Updated Delivery Date: a new estimate (read from deliveryDate), not a movement.
  '154': informational('in_transit'),
  // Delivery Photo: taken at the delivery, which the activity before it records.
  '155': informational('delivered'),
  // Commercial Inside Release: the receiver's authority to leave it inside; an instruction.
  '156': informational('in_transit'),
  // Shipment Ready for UPS.
  '157': { status: 'pending', reason: 'retailer_label_created' },
  // On the Way.
  '158': { status: 'in_transit' },
  // On the Way.
  '159': { status: 'in_transit' },
  // We Have Your Package: UPS accepted the parcel.
  '160': { status: 'picked_up' },
  // Delivered to UPS Access Point: waiting there for the receiver to collect it.
  '161': { status: 'ready_for_pickup' },
  // Out for Delivery.
  '162': { status: 'out_for_delivery' },
  // Package Information Unavailable.
  '163': { status: 'unknown' },
  // On the Way.
  '164': { status: 'in_transit' },
  // On the Way.
  '165': { status: 'in_transit' },
  // Shipment Ready for Roadie: a label for UPS's Roadie same-day network; not received yet.
  '166': { status: 'pending', reason: 'retailer_label_created' },
  // Dropped off at UPS Store by Customer: in UPS hands.
  '167': { status: 'picked_up' },
  // Dropped off at Retail Location by Customer.
  '168': { status: 'picked_up' },
  // Dropped off at a UPS Access Point by Customer.
  '169': { status: 'picked_up' },
};

/**
 * Activity types (`status.type`, specs/ups-package-activity-types.txt): read only when an
 * activity has no `statusCode` (freight and older answers), since the type is coarser.
 */
const ACTIVITY_TYPES: Readonly<Record<string, StatusMapping>> = {
  // Delivered.
  D: { status: 'delivered' },
  // In Transit, Out for Delivery: the type does not tell the two apart, so the safer one.
  I: { status: 'in_transit' },
  // Billing Information Received: the label exists, UPS has not received the parcel.
  M: { status: 'pending', reason: 'retailer_label_created' },
  // Billing Information Voided: the shipment was cancelled.
  MV: { status: 'cancelled' },
  // Exception: something delays the parcel; the exception code may say what.
  X: { status: 'delivery_delayed' },
  // Delivered Origin CFS (freight): handed to the origin freight station, not to the receiver.
  DO: { status: 'in_transit' },
  // Delivered Destination CFS (freight): at the destination freight station, not yet delivered.
  DD: { status: 'in_transit' },
  // Warehousing (freight).
  W: { status: 'in_transit' },
  // Not Available: UPS has no status to give.
  NA: { status: 'unknown' },
  // Updates (Track Alert): a changed date, time or photo, not a movement.
  U: informational('in_transit'),
};

/** The mapping of a 3-digit status code as sent ("011"), or undefined when it is not known. */
export function mapStatusCode(statusCode: string): StatusMapping | undefined {
  return Object.hasOwn(STATUS_CODES, statusCode) ? STATUS_CODES[statusCode] : undefined;
}

/** The mapping of an activity type ("D", "MV"...), or undefined when it is not known. */
export function mapActivityType(type: string): StatusMapping | undefined {
  return Object.hasOwn(ACTIVITY_TYPES, type) ? ACTIVITY_TYPES[type] : undefined;
}

/**
 * The mapping of an activity's status: its 3-digit `statusCode` decides; the `type` only when
 * there is no status code. An unknown status code is not replaced by the type's coarser meaning:
 * it is undefined, so the parser records it for review. An exception (`X`) whose status code
 * gives no reason takes the one its 2-character `code` gives.
 */
export function mapActivityStatus(status: { type?: string; code?: string; statusCode?: string }): StatusMapping | undefined {
  const mapping = status.statusCode !== undefined ? mapStatusCode(status.statusCode) : status.type !== undefined ? mapActivityType(status.type) : undefined;
  if (!mapping || mapping.reason !== undefined || status.type !== 'X' || !status.code) return mapping;
  const reason = reasonOfExceptionCode(status.code);
  return reason === undefined ? mapping : { ...mapping, reason };
}

/** The status codes the table knows, as sent on the wire. */
export function knownStatusCodes(): string[] {
  return Object.keys(STATUS_CODES);
}
