import type { StatusReason } from './status-reason.ts';
import type { TrackingStatus } from './tracking-status.ts';

/** Where an event was read: a carrier API, a web portal, or a pushed webhook. */
export type EventSource = 'api' | 'portal' | 'webhook';

/** One carrier scan, normalized but keeping the carrier's raw code and label. */
export interface TrackingEvent {
  /** ISO 8601 timestamp with the carrier's offset, e.g. `2023-03-09T09:38:00+01:00`. */
  at: string;
  /** The carrier's raw event code (`DI1`, `MD2`...). */
  code: string;
  /** The carrier's raw label, in the language the carrier answered in. */
  label: string;
  status: TrackingStatus;
  reason?: StatusReason;
  location?: string;
  source: EventSource;
  /** Id of the robot that read it. */
  robot: string;
}
