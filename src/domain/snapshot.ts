import type { StatusReason } from './status-reason.ts';
import type { TrackingEvent } from './tracking-event.ts';
import type { TrackingStatus } from './tracking-status.ts';

/** A window of time (ISO 8601 with offset). A single instant has `from === to`. */
export interface TimeWindow {
  from: string;
  to: string;
}

/** Whether the window does not end before it starts: a carrier's window that does says nothing a robot can trust. */
export function isInOrder(window: TimeWindow): boolean {
  return Date.parse(window.from) <= Date.parse(window.to);
}

/** What a robot read about one parcel at one moment: the output of every `parse.ts`. */
export interface Snapshot {
  trackingNumber: string;
  /** Id of the robot that read it (`laposte`, `dhl`...). */
  carrier: string;
  /** The carrier's product, when it says (`colissimo`, `chronopost`, `lettre suivie`...). */
  product?: string;
  status: TrackingStatus;
  reason?: StatusReason;
  /** Newest first. */
  events: TrackingEvent[];
  /** The carrier's own estimate of delivery. */
  estimatedDelivery?: TimeWindow;
  deliveredAt?: string;
  /** The carrier says this parcel will not move any more. */
  isFinal: boolean;
  /** Codes the robot's status map does not know, with their raw labels: stored for review. */
  unmappedCodes: { code: string; label: string }[];
}
