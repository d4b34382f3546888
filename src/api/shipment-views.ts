import { buildLookupAnswer } from '../domain/lookup-answer.ts';
import type { Shipment } from '../domain/shipment.ts';
import type { TrackingEvent } from '../domain/tracking-event.ts';
import type { Verdict } from '../domain/verdict.ts';
import type { Clock } from '../infra/clock.ts';
import type { StoredClaim } from '../store/claim-repository.ts';
import type { DocumentInfo } from '../store/document-repository.ts';
import type { QueuedException } from '../store/exception-queue.ts';
import type { AuditEntry, ListedFollowUp } from '../store/follow-up-repository.ts';
import type { ShipmentFilter } from '../store/shipment-search.ts';
import type { Store } from '../store/store.ts';

/** A follow-up of a case with its audit trail: who proposed, approved, rejected or ran it, and when. */
export interface CaseFollowUp extends ListedFollowUp {
  audit: AuditEntry[];
}

/** Everything about one case: what an agent answers from and a manager judges. */
export interface ShipmentDetail {
  shipment: Shipment;
  /** As stored when the shipment was last judged (after a look-up, a sweep or a scheduled check); null before that. */
  verdict: { verdict: Verdict; reasons: string[]; judgedAt?: string } | null;
  timeline: TrackingEvent[];
  promise: { promised?: { from: string; to: string }; estimated?: { from: string; to: string }; deliveredAt?: string };
  /** The suggested reply in the customer's language (and the other one). */
  answer: { lang: Shipment['customerLang']; text: string; fr: string; en: string };
  freshness: { checkedAt?: string; ageSeconds?: number };
  contacts: { count: number; lookups: { requestedBy: string; requestedAt: string; outcome: string | null }[] };
  followUps: CaseFollowUp[];
  /** Files the follow-ups made (return labels, evidence packs): `GET /api/documents/:id` for managers. */
  documents: DocumentInfo[];
  /** Carrier claims with their reference and status. */
  claims: StoredClaim[];
  /** The exceptions the robots opened for this parcel. */
  evidence: QueuedException[];
}

/** The follow-ups a case shows: far more than any one parcel gets. */
const CASE_FOLLOW_UPS = 100;

/** Shipments as the API and the pages show them: pages of a filtered list, and one case in full. */
export class ShipmentViews {
  constructor(private readonly deps: { store: () => Promise<Store>; clock: Clock }) {}

  /** A page, newest first; `nextCursor` continues it. */
  async list(filter: ShipmentFilter): Promise<{ items: Shipment[]; nextCursor: number | null }> {
    const items = await (await this.deps.store()).shipmentSearch.search(filter);
    return { items, nextCursor: items.length === filter.limit ? (items.at(-1)?.id ?? null) : null };
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
    const followUps = await store.followUps.list({ shipmentId: shipment.id, limit: CASE_FOLLOW_UPS });
    const trails = await store.followUps.auditOf(followUps.map((followUp) => followUp.id));
    return {
      shipment,
      verdict: shipment.verdict ? { verdict: shipment.verdict, reasons: await store.shipmentSearch.verdictReasons(shipment.id), judgedAt: shipment.verdictAt } : null,
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
      followUps: followUps.map((followUp) => ({ ...followUp, audit: trails.get(followUp.id) ?? [] })),
      documents: await store.documents.list({ shipmentId: shipment.id }),
      claims: await store.claims.listForShipment(shipment.id),
      evidence: await store.exceptionQueue.forShipment(shipment.id),
    };
  }
}
