import type { Shipment } from '../domain/shipment.ts';
import type { AuditRecord, Rival, StoredFollowUp } from '../store/follow-up-repository.ts';
import { ExceptionRepository } from '../store/exception-repository.ts';
import type { Store } from '../store/store.ts';
import { alreadyActed, earlierActing, earlierDetails, startOncePerOrder } from './once-per-order.ts';

const RESHIPPED = { done: 'reshipped', running: 'being reshipped', asked: 'reship' };

/**
 * A customer order gets at most one replacement order made by a rule. A follow-up's id comes
 * from its rule and parameters, so a rule reworded (`reason: not_delivered` → `late`) or a second
 * rule that reships makes another follow-up for the same parcel: the guard is where a reshipment
 * starts. `proposed` → `running` happens only when no other reshipment of the order family
 * (once-per-order.ts: the original, its reshipments, the parcels with the same order reference)
 * is done, running, or failed after asking the OMS; otherwise it is `cancelled` (audited
 * `cancelled_already_reshipped`, naming the earlier one) and what waits for it (the "reshipped"
 * e-mail) is cancelled with it.
 *
 * Of the same parcel, the earlier reshipment covers it: nothing more to do. Of another parcel of
 * the family (the replacement itself lost, or a second parcel of a split order), the customer
 * may still be owed something, but a third parcel or a second replacement order is a spend a
 * person decides (reship by hand, or refund): a manager case is opened for it, never a silent
 * cancellation, in the transaction that cancels it (a crash between the two would leave the
 * reshipment cancelled and no case: a retry finds it settled and does nothing).
 */
export function startReshipment(store: Store, followUp: StoredFollowUp, shipment: Shipment, attempt: number, now: Date): Promise<StoredFollowUp | undefined> {
  return startOncePerOrder(store, followUp, shipment, attempt, (rivals) => reshipmentVeto(shipment, rivals), now, async (tx, moved, vetoed) => {
    if (moved.state !== 'cancelled' || !vetoed?.details?.managerCase) return;
    await new ExceptionRepository(tx).open({
      carrier: shipment.carrier,
      trackingNumber: shipment.trackingNumber,
      code: 'MANAGER_CASE',
      message: `reshipment not made: ${String(vetoed.details.reason)}`,
      jobId: followUp.id,
      followUpId: followUp.id,
      openedAt: now,
    });
  });
}

/** Why this reshipment must not be made, as its audit row (`managerCase` when a person must decide); undefined when it may. */
export function reshipmentVeto(shipment: Shipment, rivals: readonly Rival[]): AuditRecord | undefined {
  const earlier = earlierActing(rivals);
  if (!earlier) return undefined;
  const order = shipment.orderRef ?? `shipment ${shipment.trackingNumber}`;
  const otherParcel = earlier.shipmentId !== shipment.id;
  const reason = otherParcel
    ? `${alreadyActed(earlier, RESHIPPED, order)} (another parcel of the order); a manager decides whether parcel ${shipment.trackingNumber} is replaced again or refunded`
    : alreadyActed(earlier, RESHIPPED, order);
  return {
    actor: 'system',
    event: 'cancelled_already_reshipped',
    details: { reason, orderRef: shipment.orderRef ?? null, managerCase: otherParcel, ...earlierDetails(earlier) },
  };
}
