import type { DhlShipment } from './payload.ts';

/**
 * Which of the shipments DHL answered for one number the robot reads. DHL pages over every
 * shipment its sources match (`offset` / `limit`, 5 by default), and without a `service` hint it
 * may even answer another division's id for the same parcel (DHL support: a parcel-de number
 * tracked as the DHL Express waybill that took over abroad). So:
 *
 *   1. a shipment whose `id` is the number asked for; when several are (a number reused by two
 *      services, or years apart), the one with the most recent scan: the older is history;
 *   2. else a shipment listing the number among its `details.pieceIds` (DHL tracks piece ids too);
 *   3. else the first one: DHL found it by this number and ranks its preferred source first.
 *
 * The robot never follows `nextUrl` or `possibleAdditionalShipmentsUrl`: each would be another
 * call against a small daily quota, and the first page already holds the best match.
 */
export function chooseShipment(shipments: readonly DhlShipment[], requested: string, newestScanMs: (shipment: DhlShipment) => number): DhlShipment | undefined {
  const wanted = comparable(requested);
  const sameId = shipments.filter((shipment) => comparable(shipment.id) === wanted);
  if (sameId.length > 0) return sameId.reduce((best, shipment) => (newestScanMs(shipment) > newestScanMs(best) ? shipment : best));
  return shipments.find((shipment) => shipment.details?.pieceIds?.some((piece) => comparable(piece) === wanted)) ?? shipments[0];
}

/** DHL prints ids with spaces and in any case; numbers reach the robot upper-case without spaces. */
function comparable(id: string): string {
  return id.replace(/\s+/g, '').toUpperCase();
}
