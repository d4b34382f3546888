import type { Shipment } from './shipment.ts';
import type { Snapshot } from './snapshot.ts';
import { suggestAnswer } from './suggested-answer.ts';
import type { TrackingEvent } from './tracking-event.ts';
import type { Verdict } from './verdict.ts';

/** How fresh an answer is: read from the carrier now, or from the store because it was read a moment ago. */
export interface Freshness {
  checkedAt: string;
  ageSeconds: number;
  source: 'store' | 'carrier';
}

/** What an agent is shown after a "find my parcel": what the carrier says, plus the order's side. */
export interface LookupAnswer
  extends Pick<Snapshot, 'trackingNumber' | 'carrier' | 'product' | 'status' | 'reason' | 'events' | 'estimatedDelivery' | 'deliveredAt'> {
  /** What the customer was promised (dates, YYYY-MM-DD). */
  promised?: { from: string; to: string };
  orderRef?: string;
  anomaly?: string;
  checkedAt: string;
  /** Set on agents' look-ups (src/jobs/fresh-answer.ts). */
  fresh?: Freshness;
  /** How the parcel stands against its promise, judged after this look-up (src/promise/). */
  verdict?: { verdict: Verdict; reasons: string[]; promisedBy?: string };
  /** A suggested reply to the customer, in French and English. */
  answer: { fr: string; en: string };
}

export function buildLookupAnswer(shipment: Shipment, events: TrackingEvent[], checkedAt: Date): LookupAnswer {
  const estimatedDelivery = shipment.estimatedFrom && shipment.estimatedTo ? { from: shipment.estimatedFrom, to: shipment.estimatedTo } : undefined;
  const promisedTo = shipment.promisedTo ?? shipment.promisedFrom;
  const promised = promisedTo ? { from: shipment.promisedFrom ?? promisedTo, to: promisedTo } : undefined;
  const facts = { status: shipment.status, reason: shipment.statusReason, estimatedDelivery, promised, deliveredAt: shipment.deliveredAt, location: events[0]?.location };
  return {
    trackingNumber: shipment.trackingNumber,
    carrier: shipment.carrier,
    product: shipment.product,
    status: shipment.status,
    reason: shipment.statusReason,
    events,
    estimatedDelivery,
    promised,
    deliveredAt: shipment.deliveredAt,
    orderRef: shipment.orderRef,
    anomaly: shipment.anomaly,
    checkedAt: checkedAt.toISOString(),
    answer: { fr: suggestAnswer(facts, 'fr'), en: suggestAnswer(facts, 'en') },
  };
}
