import type { RefundReceipt, RefundRequest } from '../../src/domain/marketplace-order.ts';
import { readJsonPayload, RobotError } from '../../src/robot-kit/index.ts';
import type { ParsedOrderList } from './parse.ts';
import { refundResponse } from './payload.ts';
import { findRefund, planRefund } from './refund-plan.ts';

export interface RefundSteps {
  /** MIRAKL_REFUND_REASON_CODE: Mirakl keeps a reason code, not a text. */
  reasonCode: string | undefined;
  /** OR11 with `order_ids`. */
  read(orderRef: string): Promise<ParsedOrderList>;
  /** OR28. */
  send(body: unknown): Promise<string>;
}

/**
 * OR28 for a RefundRequest. OR28 takes no idempotency key, so the order is read first (OR11) and a
 * refund of the same amount with the same reason code already on it is returned as this one:
 * a refund asked twice (a retried job, a crash after sending) is sent once. The request's text
 * reason stays in parcelbot's own records: Mirakl has no field for it.
 */
export async function refundOrder(request: RefundRequest, steps: RefundSteps): Promise<RefundReceipt> {
  const reasonCode = steps.reasonCode;
  if (reasonCode === undefined) {
    throw new RobotError('ROBOT_NOT_CONFIGURED', 'MIRAKL_REFUND_REASON_CODE is not set: set it to the refund reason code to use, from the Mirakl back office (Settings > Reasons)');
  }
  if (!Number.isFinite(request.amount) || request.amount <= 0 || Math.abs(Math.round(request.amount * 100) - request.amount * 100) > 1e-6) {
    throw new RobotError('CARRIER_BAD_REQUEST', 'refund: the amount must be above 0 with at most 2 decimals');
  }
  const order = (await steps.read(request.orderRef)).raw.get(request.orderRef);
  if (!order) throw new RobotError('CARRIER_BAD_REQUEST', `refund: Mirakl has no order ${request.orderRef} (or it cannot be read)`);
  if (order.currency_iso_code && order.currency_iso_code !== request.currency) {
    throw new RobotError('CARRIER_BAD_REQUEST', `refund: order ${request.orderRef} is in ${order.currency_iso_code}, the refund was asked in ${request.currency}`);
  }
  const made = findRefund(order, request.amount, reasonCode);
  if (made) return { orderRef: request.orderRef, ...made };
  const lines = planRefund(order, request.amount, reasonCode);
  if ('problem' in lines) throw new RobotError('CARRIER_BAD_REQUEST', `refund: cannot refund ${request.amount.toFixed(2)} ${request.currency} on ${request.orderRef}: ${lines.problem}`);
  const body = await steps.send({ order_tax_mode: order.order_tax_mode ?? undefined, refunds: lines });
  return { orderRef: request.orderRef, reference: receiptReference(body), amount: request.amount };
}

/** The refund's reference: the group id of its line refunds, else (absent or empty) their ids. */
function receiptReference(body: string): string {
  const result = readJsonPayload(body, refundResponse);
  if (!('data' in result)) {
    throw new RobotError('CARRIER_BAD_PAYLOAD', 'Mirakl answered OR28 with a body that does not list the refunds made (the refund may be made: check the order before asking again)', {
      evidence: { body },
    });
  }
  const [first, ...others] = result.data.refunds;
  return first!.order_refund_id || [first!, ...others].map((refund) => refund.refund_id).join(',');
}
