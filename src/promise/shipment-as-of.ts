import type { Shipment } from '../domain/shipment.ts';
import type { TrackingEvent } from '../domain/tracking-event.ts';
import type { TrackingStatus } from '../domain/tracking-status.ts';

/** What a verdict reads of a shipment. */
export type VerdictShipment = Pick<
  Shipment,
  'carrier' | 'status' | 'destinationCountry' | 'promisedFrom' | 'promisedTo' | 'estimatedFrom' | 'estimatedTo' | 'deliveredAt'
>;

/** A shipment linked to the one judged (a reshipment of it): what delivered_twice needs. */
export interface LinkedShipment {
  trackingNumber?: string;
  status: TrackingStatus;
  deliveredAt?: string;
}

/** A shipment as it stood at an instant: what was known then, not what is known now. */
export interface ShipmentAsOf {
  status: TrackingStatus;
  deliveredAt?: Date;
  firstScanAt?: Date;
  lastScanAt?: Date;
}

function instant(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * The shipment as of `now`. Usually `now` is the present and this is the stored state. For an
 * instant in the past (`rules explain --at`), events after it are ignored and the status is that
 * of the newest event before it; the carrier's estimate is not kept in history and stays as read.
 */
export function shipmentAsOf(shipment: VerdictShipment, events: readonly TrackingEvent[], now: Date): ShipmentAsOf {
  const dated = events
    .map((event) => ({ event, at: instant(event.at) }))
    .filter((entry): entry is { event: TrackingEvent; at: Date } => entry.at !== undefined)
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  const known = dated.filter((entry) => entry.at <= now);
  const rewound = known.length < dated.length;
  const status = rewound ? (known[0]?.event.status ?? 'unknown') : shipment.status;
  const deliveryEvent = known.find((entry) => entry.event.status === 'delivered')?.at;
  const stored = instant(shipment.deliveredAt);
  const deliveredAt = status === 'delivered' ? (stored && stored <= now ? stored : deliveryEvent) : undefined;
  return { status, deliveredAt, firstScanAt: known.at(-1)?.at, lastScanAt: known[0]?.at };
}

/** True when a linked shipment was delivered by `now`. */
export function deliveredBy(linked: LinkedShipment, now: Date): boolean {
  if (linked.status !== 'delivered') return false;
  const at = instant(linked.deliveredAt);
  return at === undefined || at <= now;
}
