import type { OrderStage } from '../../src/domain/marketplace-order.ts';

/** Every `OrderStatus` of Orders v0 (carrier-apis.md 9.5) -> where the order stands. An unknown one is reported. */
export const ORDER_STATUSES: Readonly<Record<string, OrderStage>> = {
  // A pre-order: payment not authorized, the item not released yet.
  PendingAvailability: 'awaiting_shipment',
  // Placed, payment not authorized yet.
  Pending: 'awaiting_shipment',
  // Paid, nothing shipped yet.
  Unshipped: 'awaiting_shipment',
  // Some items shipped: the shipments already made count.
  PartiallyShipped: 'shipped',
  Shipped: 'shipped',
  // Shipped; the invoice is not confirmed yet (China marketplace).
  InvoiceUnconfirmed: 'shipped',
  Canceled: 'cancelled',
  // Multi-Channel Fulfillment could not fulfil it.
  Unfulfillable: 'cancelled',
};

export function stageOf(status: string): OrderStage | undefined {
  return Object.hasOwn(ORDER_STATUSES, status) ? ORDER_STATUSES[status] : undefined;
}
