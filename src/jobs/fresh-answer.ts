import { type Freshness, type LookupAnswer, buildLookupAnswer } from '../domain/lookup-answer.ts';
import type { Store } from '../store/store.ts';
import type { TrackResult } from './track-job.ts';

/** The answer, saying when it was read and from where. */
export function withFreshness(answer: LookupAnswer, now: Date, source: Freshness['source']): LookupAnswer {
  const ageSeconds = Math.max(0, Math.floor((now.getTime() - Date.parse(answer.checkedAt)) / 1000));
  return { ...answer, fresh: { checkedAt: answer.checkedAt, ageSeconds, source } };
}

/**
 * An agent's answer from the store, when the carrier was asked about this parcel less than
 * `freshForMs` ago (by a sweep or another look-up); undefined when the carrier must be asked.
 */
export async function freshAnswer(store: Store, carrier: string, trackingNumber: string, now: Date, freshForMs: number): Promise<TrackResult | undefined> {
  const shipment = await store.shipments.find(carrier, trackingNumber);
  if (!shipment?.lastCheckedAt || now.getTime() - Date.parse(shipment.lastCheckedAt) >= freshForMs) return undefined;
  const answer = buildLookupAnswer(shipment, await store.tracking.events(shipment.id), new Date(shipment.lastCheckedAt));
  return { trackingNumber, carrier, outcome: 'found', status: shipment.status, answer: withFreshness(answer, now, 'store') };
}
