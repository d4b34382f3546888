import type { FollowUpKind, FollowUpState } from '../domain/follow-up.ts';
import type { Shipment } from '../domain/shipment.ts';
import type { TrackingEvent } from '../domain/tracking-event.ts';
import type { Verdict } from '../domain/verdict.ts';
import type { FollowUp } from '../followups/follow-up-executor.ts';

/**
 * What the web app and the API need of services that live elsewhere (follow-ups, sweeps,
 * verdicts). `parcelbot serve` wires the real ones; a route whose port is not wired answers 501.
 */
export interface ApiPorts {
  followUps?: FollowUpsPort;
  sweeps?: SweepsPort;
  verdicts?: VerdictPort;
}

export interface FollowUpFilter {
  state?: FollowUpState;
  kind?: FollowUpKind;
  shipmentId?: number;
  /** At most this many, most recently due first. */
  limit: number;
}

/** The outcome of a manager's decision: the follow-up as it is now, or why nothing changed. */
export type FollowUpDecision =
  | { ok: true; followUp: FollowUp }
  | { ok: false; problem: 'not_found' }
  | { ok: false; problem: 'not_awaiting_approval'; state: FollowUpState };

/**
 * src/followups/: approving moves an `awaiting_approval` follow-up on (queued to run when due),
 * rejecting cancels it; both record `actor` (and the reason) in its audit trail.
 */
export interface FollowUpsPort {
  list(filter: FollowUpFilter): Promise<FollowUp[]>;
  get(id: string): Promise<FollowUp | undefined>;
  approve(id: string, actor: string): Promise<FollowUpDecision>;
  reject(id: string, actor: string, reason: string): Promise<FollowUpDecision>;
  /** Every follow-up counted by kind and state: the dashboard and /metrics. */
  counts(): Promise<{ kind: FollowUpKind; state: FollowUpState; count: number }[]>;
}

export interface SweepRecord {
  id: string;
  /** What started it: `cron`, `api:<actor>`... */
  trigger: string;
  state: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt?: string;
  /** Parcels checked and failed so far. */
  checked: number;
  failed: number;
}

/** src/schedule/: sweeps and their records. `start` returns the sweep already running, if one is. */
export interface SweepsPort {
  start(trigger: string): Promise<SweepRecord>;
  /** The latest sweeps, newest first. */
  list(limit: number): Promise<SweepRecord[]>;
}

/** src/promise/: how a shipment stands against its promise (pure). */
export interface VerdictPort {
  verdictOf(shipment: Shipment, events: readonly TrackingEvent[], now: Date): Verdict;
}
