import type { App } from '../main.ts';
import { CHAOS_CARRIERS } from './parcel-plan.ts';
import { type Figure, info, mustBeNone, repeated } from './figures.ts';

interface OmsReshipment {
  orderRef: string;
  request: { originalOrderRef: string; idempotencyKey: string };
}
interface OmsRefund {
  refundRef: string;
  orderRef: string;
  request: { idempotencyKey: string };
}
interface ColissimoLabel {
  parcelNumber: string;
  order: { addresseeParcelRef?: string };
}
interface CapturedMessage {
  messageId?: string;
  subject?: string;
  envelope: { to: string[] };
}
interface PortalClaim {
  reference: string;
  trackingNumber: string;
  type: string;
}
interface CallCounts {
  totalCalls: number;
  byStatus: Record<string, number>;
  heldCalls: number;
}

/**
 * What the outside systems themselves counted (the simulators' control routes): no effect twice —
 * one replacement per original order and per key at the OMS, one refund per order, one Colissimo
 * label per parcel, one e-mail per recipient and message, one portal claim per parcel and type —
 * and every effect the OMS made accounted for by the store (its follow-up done with that order,
 * or failed with an exception).
 */
export async function effectChecks(app: App, fixturesUrl: string): Promise<Figure[]> {
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${fixturesUrl}/_control/${path}`);
    if (!response.ok) throw new Error(`the fixture server answered ${response.status} to ${path}`);
    return (await response.json()) as T;
  };
  const [reshipments, refunds, labels, messages, claims] = await Promise.all([
    get<OmsReshipment[]>('oms/reshipments'),
    get<OmsRefund[]>('oms/refunds'),
    get<ColissimoLabel[]>('colissimo/labels'),
    get<CapturedMessage[]>('smtp/messages'),
    get<PortalClaim[]>('relay-portal/claims'),
  ]);
  const store = await app.store();
  const ledger = new Map(
    (
      await store.db.query<{ key: string; state: string; reference: string | null; follow_up_state: string }>(
        `select e.key, e.state, case when f.kind = 'refund' then e.response->>'refundRef' else e.response->>'orderRef' end as reference, f.state as follow_up_state
         from effects e join followups f on f.id = e.followup_id where e.target = 'oms'`,
      )
    ).map((row) => [row.key, row]),
  );
  // Done with this very order or refund in the ledger, or failed into an exception a manager reads.
  const accounted = (key: string, reference: string) => {
    const effect = ledger.get(key);
    return (effect?.state === 'done' && effect.reference === reference) || effect?.follow_up_state === 'failed';
  };
  const unaccounted = [
    ...reshipments.filter((made) => !accounted(made.request.idempotencyKey, made.orderRef)).map((made) => `${made.orderRef} (${made.request.idempotencyKey})`),
    ...refunds.filter((made) => !accounted(made.request.idempotencyKey, made.refundRef)).map((made) => `${made.refundRef} (${made.request.idempotencyKey})`),
  ];
  const figures: Figure[] = [
    info('effects', 'OMS reshipments / refunds made', `${reshipments.length} / ${refunds.length}`),
    mustBeNone('effects', 'original orders reshipped twice', repeated(reshipments.map((made) => made.request.originalOrderRef))),
    mustBeNone('effects', 'OMS idempotency keys used twice', repeated([...reshipments, ...refunds].map((made) => made.request.idempotencyKey))),
    mustBeNone('effects', 'orders refunded twice', repeated(refunds.map((refund) => refund.orderRef))),
    mustBeNone('effects', 'OMS reshipments and refunds the store does not account for', unaccounted),
    info('effects', 'Colissimo return labels made', labels.length),
    mustBeNone('effects', 'parcels given two return labels', repeated(labels.map((label) => label.order.addresseeParcelRef ?? label.parcelNumber))),
    info('effects', 'e-mails accepted by the SMTP server', messages.length),
    mustBeNone('effects', 'e-mails sent twice (same recipient and subject)', repeated(messages.map((message) => `${message.envelope.to.join(',')} "${message.subject ?? ''}"`))),
    mustBeNone('effects', 'e-mails sent twice (same Message-ID)', repeated(messages.map((message) => message.messageId ?? ''))),
    info('effects', 'claims filed in the relay portal', claims.length),
    mustBeNone('effects', 'portal claims filed twice for a parcel', repeated(claims.map((claim) => `${claim.trackingNumber} ${claim.type}`))),
  ];
  const calls = await Promise.all(CHAOS_CARRIERS.map(async (id) => [id, await get<CallCounts>(`${id}/stats`)] as const));
  for (const [id, counts] of calls) figures.push(info('run', `${id} calls: total / 5xx / 429 / held past the timeout`, faultLine(counts)));
  figures.push(info('run', 'OMS calls: total / 5xx / 429 / held', faultLine(await get<CallCounts>('oms/stats'))));
  return figures;
}

function faultLine(counts: CallCounts): string {
  const sum = (test: (status: number) => boolean) => Object.entries(counts.byStatus).reduce((total, [status, count]) => total + (test(Number(status)) ? count : 0), 0);
  return `${counts.totalCalls} / ${sum((status) => status >= 500)} / ${sum((status) => status === 429)} / ${counts.heldCalls}`;
}
