import type { MiraklOrder } from './payload.ts';

/** One line of an OR28 refund (carrier-apis.md 8.5). */
export interface RefundLine {
  order_line_id: string;
  amount: number;
  shipping_amount: number;
  quantity: number;
  reason_code: string;
  currency_iso_code: string;
}

const cents = (amount: number | null | undefined): number => Math.round((amount ?? 0) * 100);

/**
 * How an amount is refunded on Mirakl, which refunds per order line: line after line in their
 * order, each up to what is left to refund on it (its price, then its shipping price, less its
 * earlier refunds), until the amount is covered. A line refunded in full gives back its quantity;
 * a part of a line is an amount alone (quantity 0, informative for Mirakl). Amounts are in the
 * order's own tax mode; taxes are not split.
 */
export function planRefund(order: MiraklOrder, amount: number, reasonCode: string): RefundLine[] | { problem: string } {
  let left = cents(amount);
  const lines: RefundLine[] = [];
  const ordered = [...order.order_lines].sort((a, b) => (a.order_line_index ?? 0) - (b.order_line_index ?? 0));
  for (const line of ordered) {
    if (left === 0) break;
    if (line.can_refund === false) continue;
    const refunded = line.refunds ?? [];
    const priceLeft = cents(line.price) - refunded.reduce((sum, refund) => sum + cents(refund.amount), 0);
    const shippingLeft = cents(line.shipping_price) - refunded.reduce((sum, refund) => sum + cents(refund.shipping_amount), 0);
    const onPrice = Math.min(left, Math.max(0, priceLeft));
    const onShipping = Math.min(left - onPrice, Math.max(0, shippingLeft));
    if (onPrice + onShipping === 0) continue;
    left -= onPrice + onShipping;
    const whole = onPrice === priceLeft && priceLeft === cents(line.price);
    lines.push({
      order_line_id: line.order_line_id,
      amount: onPrice / 100,
      shipping_amount: onShipping / 100,
      quantity: whole ? line.quantity : 0,
      reason_code: reasonCode,
      currency_iso_code: order.currency_iso_code ?? '',
    });
  }
  if (left > 0) return { problem: `only ${((cents(amount) - left) / 100).toFixed(2)} is left to refund on its lines` };
  return lines;
}

/**
 * A refund of `amount` with `reasonCode` already on the order: the line refunds made together
 * (one `order_refund_id`) added up. OR28 takes no idempotency key, so this is how a refund asked
 * again (a retried job, a crash after sending) is recognised and never sent twice.
 */
export function findRefund(order: MiraklOrder, amount: number, reasonCode: string): { reference: string; amount: number } | undefined {
  const groups = new Map<string, { cents: number; reasons: Set<string> }>();
  for (const line of order.order_lines) {
    for (const refund of line.refunds ?? []) {
      // An empty group id is none: the line refund stands alone.
      const reference = refund.order_refund_id || refund.id;
      const group = groups.get(reference) ?? { cents: 0, reasons: new Set<string>() };
      group.cents += cents(refund.amount) + cents(refund.shipping_amount);
      group.reasons.add(refund.reason_code ?? '');
      groups.set(reference, group);
    }
  }
  for (const [reference, group] of groups) {
    if (group.cents === cents(amount) && group.reasons.size === 1 && group.reasons.has(reasonCode)) return { reference, amount: group.cents / 100 };
  }
  return undefined;
}
