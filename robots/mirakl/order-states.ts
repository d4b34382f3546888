import type { OrderStage } from '../../src/domain/marketplace-order.ts';

/**
 * Every Mirakl `order_state` (carrier-apis.md 8.4) -> where the order stands. A state missing here
 * is reported with its order, never guessed: Mirakl adds enum values over time.
 */
export const ORDER_STATES: Readonly<Record<string, OrderStage>> = {
  // The order is being created (fraud check, offers reserved): nothing to ship yet.
  STAGING: 'awaiting_shipment',
  // The seller has not accepted the order yet.
  WAITING_ACCEPTANCE: 'awaiting_shipment',
  // Accepted, the customer's payment is being taken.
  WAITING_DEBIT: 'awaiting_shipment',
  // Accepted, waiting for the payment to be confirmed.
  WAITING_DEBIT_PAYMENT: 'awaiting_shipment',
  // Paid: the seller must ship (OR23 tracking, then OR24 ship).
  SHIPPING: 'awaiting_shipment',
  // The seller confirmed the shipment (OR24).
  SHIPPED: 'shipped',
  // Waiting at a pick-up point for the customer (click and collect).
  TO_COLLECT: 'shipped',
  // The customer confirmed receipt.
  RECEIVED: 'shipped',
  // Closed after receipt (or after the return window).
  CLOSED: 'shipped',
  // The seller refused the order.
  REFUSED: 'cancelled',
  // Cancelled before shipping (OR29).
  CANCELED: 'cancelled',
};

export function stageOf(state: string): OrderStage | undefined {
  return Object.hasOwn(ORDER_STATES, state) ? ORDER_STATES[state] : undefined;
}
