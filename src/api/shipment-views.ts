import { buildLookupAnswer } from '../domain/lookup-answer.ts';
import type { Shipment } from '../domain/shipment.ts';
import type { TrackingEvent } from '../domain/tracking-event.ts';
import type { Verdict } from '../domain/verdict.ts';
import type { FollowUp } from '../followups/follow-up-executor.ts';
import type { Clock } from '../infra/clock.ts';
import type { QueuedException } from '../store/exception-queue.ts';
import type { ShipmentFilter } from '../store/shipment-search.ts';
import type { Store } from '../store/store.ts';
import type { ApiPorts } from './ports.ts';
import { HttpProblem } from './problem.ts';

/** A shipment in a list: the order, what the robots last read, and the verdict when verdicts are wired. */
export interface ShipmentSummary extends Omit<Shipment, 'verdict'> {
  verdict: Verdict | null;
}

/** Everything about one case: what an agent answers from and a manager judges. */
export interface ShipmentDetail {
  shipment: ShipmentSummary;
  timeline: TrackingEvent[];
  promise: { promised?: { from: string; to: string }; estimated?: { from: string; to: string }; deliveredAt?: string };
  /** The suggested reply in the customer's language (and the other one). */
  answer: { lang: Shipment['customerLang']; text: string; fr: string; en: string };
  freshness: { checkedAt?: string; ageSeconds?: number };
  contacts: { count: number; lookups: { requestedBy: string; requestedAt: string; outcome: string | null }[] };
  followUps: FollowUp[] | null;
  evidence: QueuedException[];
}

/** How far a verdict filter reads ahead for one page: bounded, so a rare verdict never scans the whole store. */
const VERDICT_SCAN_MAX = 2000;

export class ShipmentViews {
  constructor(private readonly deps: { store: () => Promise<Store>; clock: Clock; ports: ApiPorts }) {}

  /** A page, newest first; `nextCursor` continues it. With verdicts, the page is filled by reading ahead (bounded). */
  async list(filter: ShipmentFilter & { verdicts?: readonly Verdict[] }): Promise<{ items: ShipmentSummary[]; nextCursor: number | null }> {
    const { verdicts, ...query } = filter;
    const verdictPort = this.deps.ports.verdicts;
    if (verdicts?.length && !verdictPort) throw new HttpProblem(501, 'verdicts-unavailable', 'verdicts are not available in this installation: filter without verdict');
    const search = (await this.deps.store()).shipmentSearch;
    if (!verdicts?.length) {
      const items = await this.summaries(await search.search(query));
      return { items, nextCursor: items.length === query.limit ? (items.at(-1)?.id ?? null) : null };
    }
    const items: ShipmentSummary[] = [];
    let beforeId = query.beforeId;
    for (let scanned = 0; scanned < VERDICT_SCAN_MAX; ) {
      const page = await search.search({ ...query, beforeId, limit: Math.min(200, VERDICT_SCAN_MAX - scanned) });
      for (const summary of await this.summaries(page)) {
        beforeId = summary.id;
        if (summary.verdict && verdicts.includes(summary.verdict)) items.push(summary);
        if (items.length === query.limit) return { items, nextCursor: summary.id };
      }
      scanned += page.length;
      if (page.length === 0) return { items, nextCursor: null };
    }
    return { items, nextCursor: beforeId ?? null };
  }

  async detail(id: number): Promise<ShipmentDetail | undefined> {
    const store = await this.deps.store();
    const shipment = await store.shipmentSearch.get(id);
    if (!shipment) return undefined;
    const now = this.deps.clock.now();
    const timeline = await store.tracking.events(shipment.id);
    const lookups = await store.lookups.listFor(shipment.trackingNumber);
    const checkedAt = shipment.lastCheckedAt ? new Date(shipment.lastCheckedAt) : undefined;
    const answer = buildLookupAnswer(shipment, timeline, checkedAt ?? now).answer;
    const followUps = this.deps.ports.followUps;
    return {
      shipment: { ...shipment, verdict: this.verdictOf(shipment, timeline, now) },
      timeline,
      promise: {
        promised: shipment.promisedTo ? { from: shipment.promisedFrom ?? shipment.promisedTo, to: shipment.promisedTo } : undefined,
        estimated: shipment.estimatedFrom && shipment.estimatedTo ? { from: shipment.estimatedFrom, to: shipment.estimatedTo } : undefined,
        deliveredAt: shipment.deliveredAt,
      },
      answer: { lang: shipment.customerLang, text: answer[shipment.customerLang], ...answer },
      freshness: checkedAt ? { checkedAt: checkedAt.toISOString(), ageSeconds: Math.max(0, Math.round((now.getTime() - checkedAt.getTime()) / 1000)) } : {},
      contacts: {
        count: lookups.length,
        lookups: lookups.map((lookup) => ({ requestedBy: lookup.requestedBy, requestedAt: lookup.requestedAt.toISOString(), outcome: lookup.outcome })),
      },
      followUps: followUps ? await followUps.list({ shipmentId: shipment.id, limit: 50 }) : null,
      evidence: await store.exceptionQueue.forShipment(shipment.id),
    };
  }

  /** Verdicts of a page of shipments: their timelines in one query. */
  private async summaries(shipments: readonly Shipment[]): Promise<ShipmentSummary[]> {
    if (!this.deps.ports.verdicts) return shipments.map((shipment) => ({ ...shipment, verdict: null }));
    const timelines = await (await this.deps.store()).shipmentSearch.timelines(shipments.map((shipment) => shipment.id));
    const now = this.deps.clock.now();
    return shipments.map((shipment) => ({ ...shipment, verdict: this.verdictOf(shipment, timelines.get(shipment.id) ?? [], now) }));
  }

  private verdictOf(shipment: Shipment, events: readonly TrackingEvent[], now: Date): Verdict | null {
    return this.deps.ports.verdicts?.verdictOf(shipment, events, now) ?? null;
  }
}
