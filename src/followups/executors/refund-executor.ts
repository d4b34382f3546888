import type { RefundReceipt, RefundRequest } from '../../domain/marketplace-order.ts';
import type { Shipment } from '../../domain/shipment.ts';
import { RobotError } from '../../robot-kit/robot-error.ts';
import { stakeOf } from '../approval-policy.ts';
import type { ExecutionResult, ExecutorContext, FollowUp, FollowUpExecutor } from '../follow-up-executor.ts';
import type { OmsClient } from '../oms-client.ts';

/** The robot of a marketplace channel: `mirakl:cdiscount` -> `mirakl`, `seller-portal` -> `seller-portal`. */
export function channelRobot(channel: string | undefined, isMarketplace: (id: string) => boolean): string | undefined {
  const id = channel?.split(':')[0]?.trim().toLowerCase();
  return id && isMarketplace(id) ? id : undefined;
}

/**
 * Refunds the order: through its marketplace's robot when the channel names one (its `refund`,
 * looked up again with `findRefund` after a crash), else through the merchant's OMS
 * (`POST {OMS_URL}/refunds` with an idempotency key, looked up by that key after a crash). The
 * amount is the decision's `amount`, else the order's declared value.
 */
export function refundExecutor(deps: { oms: OmsClient; isMarketplace(id: string): boolean }): FollowUpExecutor {
  return {
    kind: 'refund',
    async execute(followUp, context) {
      const { shipment } = context;
      const { value, currency } = stakeOf(shipment, followUp.params);
      if (!shipment.orderRef) throw new RobotError('FOLLOW_UP_INVALID', `shipment ${shipment.trackingNumber} has no order reference: refund it by hand`);
      if (value === undefined || value <= 0) throw new RobotError('FOLLOW_UP_INVALID', `no amount to refund for order ${shipment.orderRef}: give the rule an amount or import the order's declared value`);
      const amount = { value, currency: currency ?? 'EUR' };
      const robotId = channelRobot(shipment.channel, deps.isMarketplace);
      return robotId ? refundOnMarketplace(robotId, followUp, context, amount) : refundInOms(deps.oms, followUp, context, amount);
    },
  };
}

type Amount = { value: number; currency: string };

async function refundOnMarketplace(robotId: string, followUp: FollowUp, { shipment, effects, robot }: ExecutorContext, amount: Amount): Promise<ExecutionResult> {
  const marketplace = robot(robotId);
  const refund = marketplace.refund?.bind(marketplace);
  const findRefund = marketplace.findRefund?.bind(marketplace);
  if (!refund) throw new RobotError('FOLLOW_UP_INVALID', `the ${robotId} robot cannot refund: refund order ${shipment.orderRef} by hand`);
  // The follow-up's id in the reason tells this refund from any other of the same amount on the order.
  const request: RefundRequest = { orderRef: shipment.orderRef ?? '', amount: amount.value, currency: amount.currency, reason: `${followUp.reason} [parcelbot ${followUp.id}]` };
  const receipt = await effects.once<RefundReceipt>(`${followUp.id}-${robotId}-refund`, {
    target: robotId,
    request: { ...request },
    call: () => refund(request),
    reconcile: findRefund && (() => findRefund(request)),
  });
  return refunded(shipment, amount, robotId, receipt.reference);
}

async function refundInOms(oms: OmsClient, followUp: FollowUp, { shipment, effects }: ExecutorContext, amount: Amount): Promise<ExecutionResult> {
  const idempotencyKey = `${followUp.id}-oms-refund`;
  const order = { orderRef: shipment.orderRef ?? '', amount: amount.value, currency: amount.currency, reason: followUp.reason, idempotencyKey };
  const made = await effects.once(idempotencyKey, {
    target: 'oms',
    request: { ...order },
    call: () => oms.createRefund(order),
    reconcile: () => oms.findRefund(idempotencyKey),
  });
  return refunded(shipment, amount, 'the OMS', made.refundRef);
}

function refunded(shipment: Shipment, amount: Amount, where: string, reference: string): ExecutionResult {
  return {
    summary: `refunded ${amount.value.toFixed(2)} ${amount.currency} on order ${shipment.orderRef} through ${where} (${reference})`,
    references: { refundRef: reference, orderRef: shipment.orderRef ?? '' },
  };
}
