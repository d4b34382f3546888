import type { StatusReason } from '../../src/domain/status-reason.ts';
import type { TrackingStatus } from '../../src/domain/tracking-status.ts';

export interface StatusMapping {
  status: TrackingStatus;
  reason?: StatusReason;
}

/**
 * La Poste Suivi v2 event codes (carrier-apis.md 2.5). La Poste publishes no official list: the
 * meanings come from consistent third-party clients, so each choice below says why.
 */
const LAPOSTE_CODES: Readonly<Record<string, StatusMapping>> = {
  // Déclaratif réceptionné: the sender created the label, La Poste has not received the parcel.
  DR1: { status: 'pending', reason: 'retailer_label_created' },
  // Pris en charge: La Poste accepted the parcel (deposit at a post office, collection).
  PC1: { status: 'picked_up' },
  // Pris en charge dans le pays d'expédition: accepted by the origin country's post (inbound international).
  PC2: { status: 'picked_up' },
  // En cours de traitement: sorting in the network. Not on a round yet (karrio's out_for_delivery is wrong).
  ET1: { status: 'in_transit' },
  // En cours de traitement dans le pays d'expédition: still moving, on the origin side.
  ET2: { status: 'in_transit' },
  // En cours de traitement dans le pays de destination: moving, arrived in the destination country.
  ET3: { status: 'in_transit' },
  // En cours de traitement dans un pays de transit: moving through a third country.
  ET4: { status: 'in_transit' },
  // En attente de présentation: waiting at the delivery site for a round; MD2 is the round itself.
  EP1: { status: 'in_transit' },
  // Entrée en douane: routine customs clearance, not a hold (DO3 is the hold).
  DO1: { status: 'in_transit' },
  // Sortie de douane: cleared customs, moving again.
  DO2: { status: 'in_transit' },
  // Retenu en douane: customs keep the parcel until something is done; flagged as a warning by La Poste.
  DO3: { status: 'on_hold', reason: 'customs_delay' },
  // Problème en cours: a carrier-side incident delays the parcel; not yet a failed delivery.
  PB1: { status: 'delivery_delayed', reason: 'carrier_incident' },
  // Problème résolu: the incident is over and the parcel moves on.
  PB2: { status: 'in_transit' },
  // Mis en distribution: the parcel is on the delivery round.
  MD2: { status: 'out_for_delivery' },
  // Non distribuable: the delivery could not be made; the code does not say why, so no reason.
  ND1: { status: 'delivery_failed' },
  // En attente d'être retiré au guichet: waiting at a post office or pickup point for the consignee.
  AG1: { status: 'ready_for_pickup' },
  // Retourné à l'expéditeur: on its way back; the status says it all and the code gives no cause.
  RE1: { status: 'return_to_sender' },
  // Distribué: delivered to the consignee.
  DI1: { status: 'delivered' },
  // Distribué à l'expéditeur: the return reached the sender. Not a delivery to the customer.
  DI2: { status: 'return_to_sender', reason: 'carrier_returned_to_sender' },
  // Third-party only, meaning unverified: every client seen treats it as delivered (DI = distribution).
  DI0: { status: 'delivered' },
  // Third-party only, meaning unverified: treated as a problem; within the distribution (DI) family
  // a problem means the delivery did not happen.
  DI3: { status: 'delivery_failed' },
  // Third-party only (karrio): address not found, so the delivery failed for that reason.
  AN1: { status: 'delivery_failed', reason: 'carrier_address_not_found' },
};

/** The normalized status of a La Poste event code, or undefined when the code is not known. */
export function mapLaPosteCode(code: string): StatusMapping | undefined {
  return Object.hasOwn(LAPOSTE_CODES, code) ? LAPOSTE_CODES[code] : undefined;
}
