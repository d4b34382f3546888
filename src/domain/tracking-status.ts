/**
 * The normalized status taxonomy (Karrio's set plus `lost` and `damaged`, which trigger claims).
 * See ../shared/reference/domain.md, "Tracking status taxonomy".
 */
export const TRACKING_STATUSES = [
  'pending',
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'ready_for_pickup',
  'delivery_failed',
  'delivery_delayed',
  'on_hold',
  'return_to_sender',
  'delivered',
  'cancelled',
  'lost',
  'damaged',
  'unknown',
] as const;

export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

/** Statuses after which the carrier will not move the parcel any more. */
const TERMINAL_STATUSES: ReadonlySet<TrackingStatus> = new Set(['delivered', 'cancelled', 'lost']);

export function isTerminalStatus(status: TrackingStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

export function isTrackingStatus(value: string): value is TrackingStatus {
  return (TRACKING_STATUSES as readonly string[]).includes(value);
}
