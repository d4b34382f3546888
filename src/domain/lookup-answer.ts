import type { Shipment } from './shipment.ts';
import type { TimeWindow } from './snapshot.ts';
import type { StatusReason } from './status-reason.ts';
import { suggestAnswer } from './suggested-answer.ts';
import type { TrackingEvent } from './tracking-event.ts';
import type { TrackingStatus } from './tracking-status.ts';

/** What an agent is shown after a "find my parcel". */
export interface LookupAnswer {
  trackingNumber: string;
  carrier: string;
  product?: string;
  status: TrackingStatus;
  reason?: StatusReason;
  /** Newest first. */
  events: TrackingEvent[];
  estimatedDelivery?: TimeWindow;
  /** What the customer was promised (dates, YYYY-MM-DD). */
  promised?: { from: string; to: string };
  deliveredAt?: string;
  orderRef?: string;
  anomaly?: string;
  checkedAt: string;
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
