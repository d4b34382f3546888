import type { MiraklOrder, MiraklOrderLine, MiraklTax } from './payload.ts';

/** A tax refunded with a line, in OR28's shape. */
export interface RefundTax {
  code: string;
  amount: number;
}

/** One line of an OR28 refund (carrier-apis.md 8.5). */
export interface RefundLine {
  order_line_id: string;
  amount: number;
  shipping_amount: number;
  /** The refunded share of the line's taxes, required by Mirakl when the line has some. */
  taxes: RefundTax[];
  shipping_taxes: RefundTax[];
  quantity: number;
  reason_code: string;
  currency_iso_code: string;
}

const cents = (amount: number | null | undefined): number => Math.round((amount ?? 0) * 100);
const sum = (amounts: number[]): number => amounts.reduce((total, each) => total + each, 0);

/** A line's price or its shipping, in cents: what the customer paid for it, its taxes, what is left to refund. */
interface Part {
  paid: number;
  taxes: { code: string; cents: number }[];
  left: number;
}

/**
 * The price or shipping part of a line. Taxes are inside the amounts when the order is
 * TAX_INCLUDED, on top of them when TAX_EXCLUDED: there the customer paid the taxes too, and
 * they are refundable with the rest.
 */
function partOf(line: MiraklOrderLine, part: 'price' | 'shipping', taxExcluded: boolean): Part {
  const onTop = (taxes: MiraklTax[] | null | undefined) => (taxExcluded ? sum((taxes ?? []).map((tax) => cents(tax.amount))) : 0);
  const [amount, taxes] = part === 'price' ? [line.price, line.taxes] : [line.shipping_price, line.shipping_taxes];
  const paid = cents(amount) + onTop(taxes);
  const refunded = madeRefunds(line).map((refund) =>
    part === 'price' ? cents(refund.amount) + onTop(refund.taxes) : cents(refund.shipping_amount) + onTop(refund.shipping_taxes),
  );
  return { paid, taxes: (taxes ?? []).map((tax) => ({ code: tax.code, cents: cents(tax.amount) })), left: Math.max(0, paid - sum(refunded)) };
}

/**
 * The line's refunds that gave money back or are on their way to: a refund the operator's payment
 * refused (`REFUSED`) neither lowers what is left to refund nor counts as a refund already made.
 */
function madeRefunds(line: MiraklOrderLine): NonNullable<MiraklOrderLine['refunds']> {
  return (line.refunds ?? []).filter((refund) => refund.state !== 'REFUSED');
}

/** `refunded` cents of a part as OR28 takes them: the amount in the order's tax mode and each tax's share. */
function split(refunded: number, part: Part, taxExcluded: boolean): { amount: number; taxes: RefundTax[] } {
  const shares = part.taxes.map((tax) => ({ code: tax.code, cents: part.paid === 0 ? 0 : Math.round((tax.cents * refunded) / part.paid) }));
  const amount = taxExcluded ? refunded - sum(shares.map((share) => share.cents)) : refunded;
  return { amount: amount / 100, taxes: shares.map((share) => ({ code: share.code, amount: share.cents / 100 })) };
}

/**
 * How an amount is refunded on Mirakl, which refunds per order line: line after line in their
 * order, each up to what is left to refund on it (its price, then its shipping price, with their
 * taxes, less its earlier refunds), until the amount is covered. A line refunded in full gives
 * back its quantity; a part of a line is an amount alone (quantity 0, informative for Mirakl).
 * The amount is what the customer gets back; each line carries its share of the line's taxes,
 * which Mirakl requires on a taxed line, in the order's tax mode.
 */
export function planRefund(order: MiraklOrder, amount: number, reasonCode: string): RefundLine[] | { problem: string } {
  const taxExcluded = order.order_tax_mode === 'TAX_EXCLUDED';
  let left = cents(amount);
  const lines: RefundLine[] = [];
  const ordered = [...order.order_lines].sort((a, b) => (a.order_line_index ?? 0) - (b.order_line_index ?? 0));
  for (const line of ordered) {
    if (left === 0) break;
    if (line.can_refund === false) continue;
    const price = partOf(line, 'price', taxExcluded);
    const shipping = partOf(line, 'shipping', taxExcluded);
    const onPrice = Math.min(left, price.left);
    const onShipping = Math.min(left - onPrice, shipping.left);
    if (onPrice + onShipping === 0) continue;
    left -= onPrice + onShipping;
    const refunded = split(onPrice, price, taxExcluded);
    const shippingRefunded = split(onShipping, shipping, taxExcluded);
    lines.push({
      order_line_id: line.order_line_id,
      amount: refunded.amount,
      shipping_amount: shippingRefunded.amount,
      taxes: refunded.taxes,
      shipping_taxes: shippingRefunded.taxes,
      quantity: onPrice === price.paid ? line.quantity : 0,
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
  // What the customer got back: with the taxes, which TAX_EXCLUDED amounts leave out.
  const taxes = (list: MiraklTax[] | null | undefined) => (order.order_tax_mode === 'TAX_EXCLUDED' ? sum((list ?? []).map((tax) => cents(tax.amount))) : 0);
  const groups = new Map<string, { cents: number; reasons: Set<string> }>();
  for (const line of order.order_lines) {
    for (const refund of madeRefunds(line)) {
      // An empty group id is none: the line refund stands alone.
      const reference = refund.order_refund_id || refund.id;
      const group = groups.get(reference) ?? { cents: 0, reasons: new Set<string>() };
      group.cents += cents(refund.amount) + cents(refund.shipping_amount) + taxes(refund.taxes) + taxes(refund.shipping_taxes);
      group.reasons.add(refund.reason_code ?? '');
      groups.set(reference, group);
    }
  }
  for (const [reference, group] of groups) {
    if (group.cents === cents(amount) && group.reasons.size === 1 && group.reasons.has(reasonCode)) return { reference, amount: group.cents / 100 };
  }
  return undefined;
}
