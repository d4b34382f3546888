import { RobotError } from '../../robot-kit/robot-error.ts';
import type { FollowUpExecutor } from '../follow-up-executor.ts';
import type { OmsClient, ReshipmentOrder } from '../oms-client.ts';
import { recordOmsAnswer } from '../sync-reshipments.ts';

/**
 * A replacement order in the merchant's OMS (`POST {OMS_URL}/reshipments`), at most once: the
 * idempotency key is the follow-up's, and after a crash the OMS is asked by that key before any
 * second POST. The order is kept in `reshipments`; its parcel becomes a shipment linked to the
 * original when the OMS ships it (at once if it answers with the parcel, else syncReshipments).
 */
export function reshipmentExecutor(deps: { oms: OmsClient; isCarrier(id: string): boolean }): FollowUpExecutor {
  return {
    kind: 'reshipment',
    async execute(followUp, { shipment, effects, store, clock }) {
      if (!shipment.orderRef) {
        throw new RobotError('FOLLOW_UP_INVALID', `shipment ${shipment.trackingNumber} has no order reference: the OMS cannot make its replacement; import the order's reference or reship by hand`);
      }
      const idempotencyKey = `${followUp.id}-oms-reshipment`;
      const order: ReshipmentOrder = { originalOrderRef: shipment.orderRef, originalTrackingNumber: shipment.trackingNumber, carrier: shipment.carrier, reason: followUp.reason, idempotencyKey };
      const made = await effects.once(idempotencyKey, {
        target: 'oms',
        request: { ...order },
        call: () => deps.oms.createReshipment(order),
        reconcile: () => deps.oms.findReshipment(idempotencyKey),
      });
      const reshipment = await store.reshipments.recordOrder({ followUpId: followUp.id, originalShipmentId: shipment.id, orderRef: made.orderRef, omsStatus: made.status }, clock.now());
      const parcel = await recordOmsAnswer({ store, clock, isCarrier: deps.isCarrier }, reshipment, made);
      const shipped = parcel && parcel !== 'cancelled' ? `, shipped as ${parcel.carrier} ${parcel.trackingNumber}` : '';
      return {
        summary: `replacement order ${made.orderRef} made in the OMS for order ${shipment.orderRef}${shipped}`,
        references: { orderRef: made.orderRef, ...(parcel && parcel !== 'cancelled' ? { trackingNumber: parcel.trackingNumber } : {}) },
      };
    },
  };
}
