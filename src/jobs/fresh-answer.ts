import type { Freshness, LookupAnswer } from '../domain/lookup-answer.ts';
import type { Shipment } from '../domain/shipment.ts';
import type { Store } from '../store/store.ts';

/** The answer, saying when it was read and from where. */
export function withFreshness(answer: LookupAnswer, now: Date, source: Freshness['source']): LookupAnswer {
  const ageSeconds = Math.max(0, Math.floor((now.getTime() - Date.parse(answer.checkedAt)) / 1000));
  return { ...answer, fresh: { checkedAt: answer.checkedAt, ageSeconds, source } };
}

/**
 * The stored shipment, when the carrier was asked about this parcel less than `freshForMs` ago
 * (by a sweep or another look-up): an agent's answer comes from the store. Undefined when the
 * carrier must be asked.
 */
export async function freshShipment(store: Store, carrier: string, trackingNumber: string, now: Date, freshForMs: number): Promise<Shipment | undefined> {
  const shipment = await store.shipments.find(carrier, trackingNumber);
  if (!shipment?.lastCheckedAt || now.getTime() - Date.parse(shipment.lastCheckedAt) >= freshForMs) return undefined;
  return shipment;
}
