import type { Shipment } from '../domain/shipment.ts';
import type { AuditRecord, Rival, StoredFollowUp } from '../store/follow-up-repository.ts';
import type { Store } from '../store/store.ts';
import { stakeOf } from './approval-policy.ts';

/**
 * An order is refunded at most once, and never for more than its value. Rules decide refunds
 * independently (late, then returned to sender: two rules, two follow-ups with ids of their own),
 * so the guard is where a refund starts: `proposed` → `running` happens only when no other refund
 * of the order is done, running, or failed with its effect possibly made; otherwise the refund is
 * `cancelled` (audited `cancelled_already_refunded`, or `cancelled_above_order_value`, with the
 * reason) and what waits for it (the "refunded" e-mail) is cancelled with it.
 *
 * The order is the shipment's order family (ShipmentRepository.orderFamily): the original, its
 * reshipments, and the parcels with the same order reference. The check and the move to
 * `running` are one transaction over the family's refunds, locked: two refunds started at the
 * same time run one after the other. A refund already `running` (a retry, a worker that stopped)
 * is not checked again: it owns the order's refund, and its effect ledger reconciles.
 */
export async function startRefund(store: Store, followUp: StoredFollowUp, shipment: Shipment, attempt: number, now: Date): Promise<StoredFollowUp | undefined> {
  const family = await store.shipments.orderFamily(shipment.id);
  return store.followUps.startUnless(
    followUp.id,
    { kind: 'refund', shipmentIds: family.length > 0 ? family : [shipment.id] },
    { actor: 'worker', event: 'started', details: { attempt } },
    (rivals) => refundVeto(followUp, shipment, rivals),
    now,
  );
}

/** Why this refund must not be made, as its audit row; undefined when it may. */
export function refundVeto(followUp: StoredFollowUp, shipment: Shipment, rivals: readonly Rival[]): AuditRecord | undefined {
  const order = shipment.orderRef ?? `shipment ${shipment.trackingNumber}`;
  const earlier = rivals.filter(mayHaveRefunded).sort((a, b) => rank(a) - rank(b) || a.updatedAt.localeCompare(b.updatedAt))[0];
  if (earlier) {
    const on = earlier.updatedAt.slice(0, 10);
    const reason =
      earlier.state === 'done'
        ? `already refunded by ${earlier.id} on ${on}`
        : earlier.state === 'running'
          ? `already being refunded by ${earlier.id} (started on ${on})`
          : `already possibly refunded by ${earlier.id}: it failed on ${on} after asking ${earlier.effects.map((effect) => effect.target).join(', ')} to refund; check order ${order} by hand`;
    return {
      actor: 'system',
      event: 'cancelled_already_refunded',
      details: {
        reason,
        orderRef: shipment.orderRef ?? null,
        refund: earlier.id,
        refundState: earlier.state,
        refundShipmentId: earlier.shipmentId,
        at: earlier.updatedAt,
        ...(earlier.result ? { summary: earlier.result.summary } : {}),
      },
    };
  }
  // A decision's `amount` above the order's value (in the same currency) is not refunded either.
  const { value, currency } = stakeOf(shipment, followUp.params);
  const orderValue = shipment.declaredValue;
  if (value !== undefined && orderValue !== undefined && currency === shipment.currency && value > orderValue + 0.005) {
    const unit = shipment.currency ? ` ${shipment.currency}` : '';
    return {
      actor: 'system',
      event: 'cancelled_above_order_value',
      details: { reason: `${value.toFixed(2)}${unit} is more than order ${order} is worth (${orderValue.toFixed(2)}${unit})`, amount: value, orderValue, orderRef: shipment.orderRef ?? null },
    };
  }
  return undefined;
}

/**
 * Done, running (its call may be under way), or failed with an effect `started` or `done` (the
 * target may have refunded before the failure). Not a refund proposed or awaiting approval (it
 * has not started: the first to start wins), cancelled, or failed before any call or refused by
 * the target (an effect `failed` did nothing).
 */
function mayHaveRefunded(rival: Rival): boolean {
  if (rival.state === 'done' || rival.state === 'running') return true;
  return rival.state === 'failed' && rival.effects.some((effect) => effect.state !== 'failed');
}

/** A done refund is named before one running, before one failed. */
const rank = (rival: Rival) => (rival.state === 'done' ? 0 : rival.state === 'running' ? 1 : 2);
