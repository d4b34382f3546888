import type { OrderPage, RejectedOrder } from '../domain/marketplace-order.ts';
import type { PageCounts } from './apply-page.ts';
import type { PagePlan } from './page-plan.ts';

/** Bad orders listed in a report; more are counted. */
export const BAD_ORDERS_LISTED = 500;

/**
 * What one sync run did, kept as the source's last report (marketplace_sync_state.last_report)
 * and printed by `parcelbot sync`. Order references and reasons only: no personal data.
 */
export interface SyncReport {
  source: string;
  /**
   * busy: another run holds the source; not_configured: the robot's settings are missing;
   * stopped: asked to stop, between two pages (the next run resumes there); lease_lost: the run
   * outlived its lease and another took the source over (nothing more written).
   */
  outcome: 'completed' | 'failed' | 'busy' | 'not_configured' | 'stopped' | 'lease_lost';
  startedAt: string;
  finishedAt?: string;
  /** The last window read: orders updated from .. to (inclusive). */
  window?: { from: string; to: string };
  pages: number;
  /** Orders received, bad ones included. */
  read: number;
  /** Shipments created, updated, or read again unchanged. */
  created: number;
  updated: number;
  unchanged: number;
  awaitingShipment: number;
  cancelled: number;
  /** Orders whose promise found no shipment with that order reference (Amazon). */
  unmatched: number;
  bad: number;
  badOrders: RejectedOrder[];
  /** Waits for the marketplace's Retry-After, and retries of passing faults. */
  rateLimitWaits: number;
  retries: number;
  error?: { code: string; message: string };
}

export function emptyReport(source: string, startedAt: Date): SyncReport {
  return {
    source,
    outcome: 'completed',
    startedAt: startedAt.toISOString(),
    pages: 0,
    read: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    awaitingShipment: 0,
    cancelled: 0,
    unmatched: 0,
    bad: 0,
    badOrders: [],
    rateLimitWaits: 0,
    retries: 0,
  };
}

/** Adds a page read and written to the report. */
export function countPage(report: SyncReport, page: OrderPage, plan: PagePlan, counts: PageCounts): void {
  report.pages += 1;
  report.read += page.orders.length + page.rejected.length;
  report.created += counts.created;
  report.updated += counts.updated;
  report.unchanged += counts.unchanged;
  report.unmatched += counts.unmatched;
  report.awaitingShipment += plan.awaitingShipment;
  report.cancelled += plan.cancelled;
  const bad = [...plan.bad, ...counts.bad];
  report.bad += bad.length;
  report.badOrders.push(...bad.slice(0, Math.max(0, BAD_ORDERS_LISTED - report.badOrders.length)));
}
