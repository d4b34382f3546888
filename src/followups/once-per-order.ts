import type { Shipment } from '../domain/shipment.ts';
import type { Sql } from '../store/database.ts';
import type { Rival, StartVeto, StoredFollowUp } from '../store/follow-up-repository.ts';
import type { Store } from '../store/store.ts';

/** How a reason tells what an earlier follow-up of the order did: `refunded`, `being refunded`, asked to `refund`. */
export interface ActWords {
  done: string;
  running: string;
  asked: string;
}

/**
 * Starts a follow-up made at most once per order (a refund, a reshipment): `proposed` →
 * `running` unless `veto` says otherwise. The order is the shipment's order family
 * (ShipmentRepository.orderFamily): the original, its reshipments, and the parcels with the same
 * order reference. The check and the move are one transaction over the family's follow-ups of
 * the same kind, locked: two started at the same time run one after the other, and the second
 * sees the first `running`. `alongside` writes in that transaction (FollowUpRepository.startUnless).
 */
export async function startOncePerOrder<Veto extends StartVeto>(
  store: Store,
  followUp: StoredFollowUp,
  shipment: Shipment,
  attempt: number,
  veto: (rivals: readonly Rival[]) => Veto | undefined,
  now: Date,
  alongside?: (tx: Sql, moved: StoredFollowUp, vetoed: Veto | undefined) => Promise<void>,
): Promise<StoredFollowUp | undefined> {
  const family = await store.shipments.orderFamily(shipment.id);
  return store.followUps.startUnless(
    followUp.id,
    { kind: followUp.kind, shipmentIds: family.length > 0 ? family : [shipment.id] },
    { actor: 'worker', event: 'started', details: { attempt } },
    veto,
    now,
    alongside,
  );
}

/** The follow-up of the order that did, or may have done, what this one would do: a done one first, then running, then failed; undefined when none. */
export function earlierActing(rivals: readonly Rival[]): Rival | undefined {
  return rivals.filter(mayHaveActed).sort((a, b) => rank(a) - rank(b) || a.updatedAt.localeCompare(b.updatedAt))[0];
}

/** Why this one is not made, naming the earlier one: `already refunded by fu-… on <date>`, or `being …`, or `possibly …; check order … by hand`. */
export function alreadyActed(earlier: Rival, words: ActWords, order: string): string {
  const on = earlier.updatedAt.slice(0, 10);
  if (earlier.state === 'done') return `already ${words.done} by ${earlier.id} on ${on}`;
  if (earlier.state === 'running') return `already ${words.running} by ${earlier.id} (started on ${on})`;
  const targets = earlier.effects.map((effect) => effect.target).join(', ');
  return `already possibly ${words.done} by ${earlier.id}: it failed on ${on} after asking ${targets} to ${words.asked}; check order ${order} by hand`;
}

/** The earlier follow-up in a cancellation's audit details, under its kind's name (`refund`, `refundState`, ...). */
export function earlierDetails(earlier: Rival): Record<string, unknown> {
  return {
    [earlier.kind]: earlier.id,
    [`${earlier.kind}State`]: earlier.state,
    [`${earlier.kind}ShipmentId`]: earlier.shipmentId,
    at: earlier.updatedAt,
    ...(earlier.result ? { summary: earlier.result.summary } : {}),
  };
}

/**
 * Done, running (its call may be under way), or failed with an effect `started` or `done` (the
 * target may have acted before the failure). Not one proposed or awaiting approval (it has not
 * started: the first to start wins), cancelled, or failed before any call or refused by the
 * target (an effect `failed` did nothing).
 */
function mayHaveActed(rival: Rival): boolean {
  if (rival.state === 'done' || rival.state === 'running') return true;
  return rival.state === 'failed' && rival.effects.some((effect) => effect.state !== 'failed');
}

/** A done follow-up is named before one running, before one failed. */
const rank = (rival: Rival) => (rival.state === 'done' ? 0 : rival.state === 'running' ? 1 : 2);
