import type { Shipment } from '../domain/shipment.ts';
import type { TrackingEvent } from '../domain/tracking-event.ts';
import type { VerdictResult } from '../promise/compute-verdict.ts';

/**
 * What made parcelbot look at a shipment:
 * - `lookup`: an agent asked where the parcel is (`parcelbot track`, the web app);
 * - `check`: a check a rule scheduled (action `check`) came due;
 * - `sweep`: the nightly sweep tracked it.
 */
export const TRIGGERS = ['lookup', 'check', 'sweep'] as const;
export type Trigger = (typeof TRIGGERS)[number];

/** Customer contacts on the shipment's case: agents' look-ups of the parcel so far. */
export interface Contacts {
  count: number;
  /** The first contact (ISO 8601): the case opened then. */
  firstAt?: string;
}

/** Everything rules read about one shipment. Pure data, gathered before evaluation. */
export interface RuleFacts {
  trigger: Trigger;
  shipment: Shipment;
  /** Newest first. */
  events: readonly TrackingEvent[];
  verdict: VerdictResult;
  contacts: Contacts;
}
