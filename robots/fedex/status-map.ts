import type { StatusReason } from '../../src/domain/status-reason.ts';
import type { TrackingStatus } from '../../src/domain/tracking-status.ts';

export interface StatusMapping {
  status: TrackingStatus;
  reason?: StatusReason;
}

/**
 * FedEx "Tracking Status Codes" (carrier-apis.md 5.4, specs/fedex-status-codes.txt): the values of
 * `latestStatusDetail.code` and `scanEvents[].eventType`, then the derived codes seen in real
 * payloads (`derivedCode`, `derivedStatusCode`). A reason is given only where the code itself says
 * why; the details of an event (exception text, delayDetail) refine it in reasons.ts.
 *
 * The appendix's "Possession" codes (CA Carrier, RC Recipient, SH Shipper, CU Customs, BR Broker,
 * TP Transfer Partner, SP Split) say who holds the package. Track v1 has no field for them, and
 * CA / RC / SP mean something else as status codes, so they are not listed here.
 */
const FEDEX_CODES: Readonly<Record<string, StatusMapping>> = {
  // --- Movement ---
  // At Airport: between flights, moving.
  AA: { status: 'in_transit' },
  // At Canada Post facility: handed to Canada Post for the last mile; still moving.
  AC: { status: 'in_transit' },
  // At Delivery: the courier is at the delivery address, i.e. on the delivery round.
  AD: { status: 'out_for_delivery' },
  // At local FedEx Facility: the facility that will deliver it; not on a round yet.
  AF: { status: 'in_transit' },
  // Shipment arriving On-time: a forecast scan, the parcel keeps moving.
  AO: { status: 'in_transit' },
  // At Pickup: the courier is at the shipper's; FedEx does not have the parcel yet.
  AP: { status: 'pending' },
  // Arrived at FedEx location: a network scan.
  AR: { status: 'in_transit' },
  // At USPS facility: FedEx Ground Economy handed over to USPS for the last mile.
  AX: { status: 'in_transit' },
  // Shipment Cancelled: the shipper cancelled it; it will not move.
  CA: { status: 'cancelled' },
  // Location Changed: redirected (hold, reroute); it still has to reach the new place.
  CH: { status: 'in_transit' },
  // Delivery Delay: FedEx announces that the delivery is late.
  DD: { status: 'delivery_delayed' },
  // Delivery Exception: the delivery could not be made; the details say why (reasons.ts).
  DE: { status: 'delivery_failed' },
  // Delivered.
  DL: { status: 'delivered' },
  // Departed: left a FedEx location.
  DP: { status: 'in_transit' },
  // Vehicle furnished but not used: a (freight) pickup vehicle came and took nothing.
  DR: { status: 'pending' },
  // Vehicle Dispatched: a (freight) pickup vehicle is on its way to the shipper.
  DS: { status: 'pending' },
  // Delay: a delay in the network; the details say why (weather, clearance...).
  DY: { status: 'delivery_delayed' },
  // Enroute to Airport (movement) and Export Approved (regulatory): both mean it moves on.
  EA: { status: 'in_transit' },
  // Enroute to Delivery: on its way to the recipient, i.e. on the delivery round.
  ED: { status: 'out_for_delivery' },
  // Enroute to Origin Airport.
  EO: { status: 'in_transit' },
  // Enroute to Pickup: the courier drives to the shipper; FedEx does not have the parcel yet.
  EP: { status: 'pending' },
  // At FedEx Destination: arrived in the destination facility.
  FD: { status: 'in_transit' },
  // Hold at Location: held at a FedEx location for the recipient to collect.
  HL: { status: 'ready_for_pickup' },
  // Ready for Recipient Pickup.
  HP: { status: 'ready_for_pickup' },
  // In Transit.
  IT: { status: 'in_transit' },
  // In transit (see Details).
  IX: { status: 'in_transit' },
  // Left Origin.
  LO: { status: 'in_transit' },
  // Order Created: the shipper created the label; FedEx has not received the parcel.
  OC: { status: 'pending', reason: 'retailer_label_created' },
  // Out for Delivery.
  OD: { status: 'out_for_delivery' },
  // At FedEx origin facility: a network scan after acceptance (PU is the acceptance itself).
  OF: { status: 'in_transit' },
  // On the way (the appendix spells it "Ow").
  Ow: { status: 'in_transit' },
  // Shipment information sent to USPS: FedEx Ground Economy continues with USPS.
  OX: { status: 'in_transit' },
  // Pickup Delay: the pickup is late, so the delivery will be.
  PD: { status: 'delivery_delayed' },
  // Plane in Flight.
  PF: { status: 'in_transit' },
  // Plane Landed.
  PL: { status: 'in_transit' },
  // In Progress: FedEx is handling it.
  PM: { status: 'in_transit' },
  // Picked Up: FedEx accepted the parcel.
  PU: { status: 'picked_up' },
  // Picked up (see Details).
  PX: { status: 'picked_up' },
  // CDO requested: the recipient asked for a custom delivery option; the parcel moves on.
  RR: { status: 'in_transit' },
  // CDO Modified.
  RM: { status: 'in_transit' },
  // CDO Cancelled (as a status code; RC is also the "Recipient" possession code).
  RC: { status: 'in_transit' },
  // Return to Shipper: on its way back; the code does not say why.
  RS: { status: 'return_to_sender' },
  // Return label link emailed to return sender: a return label exists, nothing was handed over.
  RP: { status: 'pending', reason: 'retailer_label_created' },
  // Return label link cancelled by shipment originator: this return will never move.
  LP: { status: 'cancelled' },
  // Return label link expiring soon: still only a label.
  RG: { status: 'pending', reason: 'retailer_label_created' },
  // Return label link expired: the label is dead, nothing will move; same end as a cancellation.
  RD: { status: 'cancelled' },
  // Shipment Exception: a carrier-side problem that holds the shipment up; details may say more.
  SE: { status: 'delivery_delayed', reason: 'carrier_incident' },
  // At Sort Facility.
  SF: { status: 'in_transit' },
  // Split Status: the pieces of a multi-piece shipment are in different states, not all delivered.
  SP: { status: 'in_transit' },
  // Transfer: moved between FedEx operations or partners.
  TR: { status: 'in_transit' },

  // --- Regulatory ---
  // Cleared Customs: moving again.
  CC: { status: 'in_transit' },
  // Clearance Delay: customs keep the parcel until something is done.
  CD: { status: 'on_hold', reason: 'customs_delay' },
  // Clearance in Progress: routine clearance, not a hold.
  CP: { status: 'in_transit' },

  // --- Seen only in real payloads (third-party: karrio fixtures) ---
  // Shipment arriving early: a forecast scan, the parcel keeps moving.
  AE: { status: 'in_transit' },
  // Derived "Label created": FedEx has the shipment data, not the parcel.
  IN: { status: 'pending', reason: 'retailer_label_created' },
  // Derived "Running Late": FedEx's own verdict that the delivery will be late.
  RL: { status: 'delivery_delayed' },
};

/** The normalized status of a FedEx status, event or derived code, or undefined when unknown. */
export function mapFedExCode(code: string): StatusMapping | undefined {
  return Object.hasOwn(FEDEX_CODES, code) ? FEDEX_CODES[code] : undefined;
}

/** Every code the map knows, for tests and the simulator. */
export const FEDEX_MAPPED_CODES: readonly string[] = Object.keys(FEDEX_CODES);
