import type { TrackingStatus } from './tracking-status.ts';

/** Each status in a few words, for people (terminal and web pages). */
export const STATUS_WORDS: Record<TrackingStatus, string> = {
  pending: 'label created, not yet handed over',
  picked_up: 'picked up by the carrier',
  in_transit: 'in transit',
  out_for_delivery: 'out for delivery',
  ready_for_pickup: 'waiting at a pickup point',
  delivery_failed: 'delivery attempt failed',
  delivery_delayed: 'delayed',
  on_hold: 'on hold',
  return_to_sender: 'returning to sender',
  delivered: 'delivered',
  cancelled: 'cancelled',
  lost: 'lost',
  damaged: 'damaged',
  unknown: 'unknown',
};
