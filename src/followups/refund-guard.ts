import type { Shipment } from '../domain/shipment.ts';
import type { AuditRecord, Rival, StoredFollowUp } from '../store/follow-up-repository.ts';
import type { Store } from '../store/store.ts';
import { stakeOf } from './approval-policy.ts';
import { alreadyActed, earlierActing, earlierDetails, startOncePerOrder } from './once-per-order.ts';

const REFUNDED = { done: 'refunded', running: 'being refunded', asked: 'refund' };

/**
 * An order is refunded at most once, and never for more than its value. Rules decide refunds
 * independently (late, then returned to sender: two rules, two follow-ups with ids of their own),
 * so the guard is where a refund starts: `proposed` → `running` happens only when no other refund
 * of the order is done, running, or failed with its effect possibly made; otherwise the refund is
 * `cancelled` (audited `cancelled_already_refunded`, or `cancelled_above_order_value`, with the
 * reason) and what waits for it (the "refunded" e-mail) is cancelled with it.
 *
 * The order and its lock are once-per-order.ts's. A refund already `running` (a retry, a worker
 * that stopped) is not checked again: it owns the order's refund, and its effect ledger reconciles.
 */
export async function startRefund(store: Store, followUp: StoredFollowUp, shipment: Shipment, attempt: number, now: Date): Promise<StoredFollowUp | undefined> {
  return startOncePerOrder(store, followUp, shipment, attempt, (rivals) => refundVeto(followUp, shipment, rivals), now);
}

/** Why this refund must not be made, as its audit row; undefined when it may. */
export function refundVeto(followUp: StoredFollowUp, shipment: Shipment, rivals: readonly Rival[]): AuditRecord | undefined {
  const order = shipment.orderRef ?? `shipment ${shipment.trackingNumber}`;
  const earlier = earlierActing(rivals);
  if (earlier) {
    return {
      actor: 'system',
      event: 'cancelled_already_refunded',
      details: { reason: alreadyActed(earlier, REFUNDED, order), orderRef: shipment.orderRef ?? null, ...earlierDetails(earlier) },
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
