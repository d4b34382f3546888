import type { RejectedOrder } from '../domain/marketplace-order.ts';
import type { Shipment, ShipmentInput } from '../domain/shipment.ts';
import type { Sql } from '../store/database.ts';
import { ShipmentRepository } from '../store/shipment-repository.ts';
import type { PagePlan } from './page-plan.ts';

export interface PageCounts {
  created: number;
  updated: number;
  unchanged: number;
  /** Promises for orders no stored shipment has as its order reference. */
  unmatched: number;
  /** Orders whose parcel is stored as another order's: refused, as two orders of one page are (page-plan.ts). */
  bad: RejectedOrder[];
}

/**
 * Writes a page's plan: shipments created or updated through ShipmentRepository.upsertMany, only
 * those that change, so that reading the same orders again writes nothing (the sync is idempotent).
 */
export async function applyPage(plan: PagePlan, sql: Sql, now: Date): Promise<PageCounts> {
  const shipments = new ShipmentRepository(sql);
  const counts: PageCounts = { created: 0, updated: 0, unchanged: 0, unmatched: 0, bad: [] };
  const writes: ShipmentInput[] = [];

  const stored = new Map((await shipments.findMany(plan.shipments)).map((shipment) => [keyOf(shipment), shipment]));
  for (const input of plan.shipments) {
    const known = stored.get(keyOf(input));
    // A page read earlier (or another source, or an import) gave this parcel to another order: the
    // first order keeps it, whatever page each falls on, rather than the customer changing hands.
    if (known?.orderRef !== undefined && input.orderRef !== undefined && known.orderRef !== input.orderRef) {
      counts.bad.push({ orderRef: input.orderRef, reason: `same carrier and tracking number as order ${known.orderRef}` });
      continue;
    }
    if (!known) counts.created += 1;
    else if (!changes(input, known)) {
      counts.unchanged += 1;
      continue;
    } else counts.updated += 1;
    writes.push(input);
  }

  const byOrder = new Map<string, Shipment[]>();
  for (const shipment of await shipments.findByOrderRefs(plan.promises.map((promise) => promise.orderRef))) {
    byOrder.set(shipment.orderRef ?? '', [...(byOrder.get(shipment.orderRef ?? '') ?? []), shipment]);
  }
  for (const promise of plan.promises) {
    const matched = byOrder.get(promise.orderRef) ?? [];
    if (matched.length === 0) counts.unmatched += 1;
    for (const shipment of matched) {
      if (shipment.promisedFrom === promise.promisedFrom && shipment.promisedTo === promise.promisedTo) {
        counts.unchanged += 1;
        continue;
      }
      counts.updated += 1;
      writes.push({ ...inputOf(shipment), channel: shipment.channel ?? promise.channel, promisedFrom: promise.promisedFrom, promisedTo: promise.promisedTo });
    }
  }
  await shipments.upsertMany(writes, now);
  return counts;
}

const keyOf = (shipment: Pick<ShipmentInput, 'carrier' | 'trackingNumber'>): string => `${shipment.carrier}\u0000${shipment.trackingNumber}`;

/** Whether an upsert of `input` would change `stored`: a field left blank keeps the stored value. */
function changes(input: ShipmentInput, stored: Shipment): boolean {
  const kept = ['orderRef', 'channel', 'customerEmail', 'declaredValue', 'currency', 'promisedFrom', 'promisedTo'] as const;
  return (
    input.customerLang !== stored.customerLang ||
    input.destinationCountry !== stored.destinationCountry ||
    kept.some((field) => input[field] !== undefined && input[field] !== stored[field])
  );
}

function inputOf(shipment: Shipment): ShipmentInput {
  const { trackingNumber, carrier, orderRef, channel, customerEmail, customerLang, declaredValue, currency, destinationCountry, promisedFrom, promisedTo } = shipment;
  return { trackingNumber, carrier, orderRef, channel, customerEmail, customerLang, declaredValue, currency, destinationCountry, promisedFrom, promisedTo };
}
