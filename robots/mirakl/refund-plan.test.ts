import { describe, expect, it } from 'vitest';
import { payloadReader } from '../../fixtures/testing/payloads.ts';
import { parseOrderList } from './parse.ts';
import type { MiraklOrder } from './payload.ts';
import { findRefund, planRefund } from './refund-plan.ts';

const real = parseOrderList(payloadReader('mirakl')('or11-real-eci-awaiting-shipment.json'), { instance: 'eci', timeZone: 'Europe/Madrid', transitDays: 2, carrierOverrides: {} });
const base = [...real.raw.values()][0]!;
const line = base.order_lines[0]!;
/** The real order with two lines: 39.90 + 4.50 shipping, and 20.00 + 0 shipping. */
const order: MiraklOrder = {
  ...base,
  order_lines: [
    { ...line, shipping_price: 4.5 },
    { ...line, order_line_id: 'L-2', order_line_index: 2, price: 20, price_unit: 20, shipping_price: 0, quantity: 1 },
  ],
};

describe('planRefund', () => {
  it.each([
    [10, [{ order_line_id: line.order_line_id, amount: 10, shipping_amount: 0, quantity: 0 }]],
    [44.4, [{ order_line_id: line.order_line_id, amount: 39.9, shipping_amount: 4.5, quantity: 1 }]],
    [50, [{ order_line_id: line.order_line_id, amount: 39.9, shipping_amount: 4.5, quantity: 1 }, { order_line_id: 'L-2', amount: 5.6, shipping_amount: 0, quantity: 0 }]],
  ])('spreads %d over the lines in order, price then shipping', (amount, lines) => {
    const plan = planRefund(order, amount, '14');
    expect(plan).toEqual(lines.map((each) => ({ ...each, taxes: [], shipping_taxes: [], reason_code: '14', currency_iso_code: 'EUR' })));
  });

  it('counts earlier refunds and refuses more than is left', () => {
    const refunded: MiraklOrder = { ...order, order_lines: [{ ...order.order_lines[0]!, refunds: [{ id: 'R1', amount: 39.9, shipping_amount: 4.5, reason_code: '14', order_refund_id: 'G1' }] }, order.order_lines[1]!] };
    expect(planRefund(refunded, 20, '15')).toEqual([{ order_line_id: 'L-2', amount: 20, shipping_amount: 0, taxes: [], shipping_taxes: [], quantity: 1, reason_code: '15', currency_iso_code: 'EUR' }]);
    expect(planRefund(refunded, 20.01, '15')).toEqual({ problem: 'only 20.00 is left to refund on its lines' });
  });
});

describe('planRefund on a taxed order', () => {
  /** One line with VAT on its price and on its shipping. */
  const taxed = (mode: 'TAX_INCLUDED' | 'TAX_EXCLUDED', price: number, vat: number, shipping: number, shippingVat: number): MiraklOrder => ({
    ...order,
    order_tax_mode: mode,
    order_lines: [{ ...line, price, shipping_price: shipping, taxes: [{ code: 'VAT20', amount: vat }], shipping_taxes: [{ code: 'VAT20', amount: shippingVat }] }],
  });

  it('sends the share of the taxes inside the amounts of a TAX_INCLUDED order', () => {
    expect(planRefund(taxed('TAX_INCLUDED', 120, 20, 12, 2), 60, '14')).toMatchObject([{ amount: 60, taxes: [{ code: 'VAT20', amount: 10 }], shipping_amount: 0, shipping_taxes: [{ code: 'VAT20', amount: 0 }], quantity: 0 }]);
    expect(planRefund(taxed('TAX_INCLUDED', 120, 20, 12, 2), 132.01, '14')).toEqual({ problem: 'only 132.00 is left to refund on its lines' });
  });

  it('refunds the taxes on top of a TAX_EXCLUDED order, so up to what the customer paid', () => {
    // 132.00 paid: 100 + 20 VAT, 10 + 2 VAT shipping.
    const whole = taxed('TAX_EXCLUDED', 100, 20, 10, 2);
    expect(planRefund(whole, 132, '14')).toMatchObject([{ amount: 100, taxes: [{ code: 'VAT20', amount: 20 }], shipping_amount: 10, shipping_taxes: [{ code: 'VAT20', amount: 2 }], quantity: 1 }]);
    expect(planRefund(whole, 60, '14')).toMatchObject([{ amount: 50, taxes: [{ code: 'VAT20', amount: 10 }], shipping_amount: 0, quantity: 0 }]);
    // What earlier refunds gave back counts with their taxes.
    const refunded = { ...whole, order_lines: [{ ...whole.order_lines[0]!, refunds: [{ id: 'R1', amount: 50, taxes: [{ code: 'VAT20', amount: 10 }], shipping_amount: 0, reason_code: '14' }] }] };
    expect(planRefund(refunded, 72.01, '14')).toEqual({ problem: 'only 72.00 is left to refund on its lines' });
    expect(findRefund(refunded, 60, '14')).toEqual({ reference: 'R1', amount: 60 });
  });
});

describe('findRefund', () => {
  const refunds = [
    { id: 'R1', amount: 30, shipping_amount: 4.5, reason_code: '14', order_refund_id: 'G1' },
    { id: 'R3', amount: 5, shipping_amount: 0, reason_code: '16', order_refund_id: 'G2' },
  ];
  const refunded: MiraklOrder = { ...order, order_lines: [{ ...order.order_lines[0]!, refunds }, { ...order.order_lines[1]!, refunds: [{ id: 'R2', amount: 10, shipping_amount: 0, reason_code: '14', order_refund_id: 'G1' }] }] };

  it('finds a refund made over several lines by its total and reason code', () => {
    expect(findRefund(refunded, 44.5, '14')).toEqual({ reference: 'G1', amount: 44.5 });
    expect(findRefund(refunded, 5, '16')).toEqual({ reference: 'G2', amount: 5 });
  });

  it('does not take another amount or reason for it', () => {
    expect(findRefund(refunded, 44.5, '16')).toBeUndefined();
    expect(findRefund(refunded, 30, '14')).toBeUndefined();
    expect(findRefund(order, 10, '14')).toBeUndefined();
  });

  it('does not take a refund the operator refused for one made, nor count it against what is left', () => {
    const refused: MiraklOrder = { ...order, order_lines: [{ ...order.order_lines[0]!, refunds: [{ id: 'R9', amount: 39.9, shipping_amount: 4.5, reason_code: '14', order_refund_id: 'G9', state: 'REFUSED' }] }, order.order_lines[1]!] };
    expect(findRefund(refused, 44.4, '14')).toBeUndefined();
    expect(planRefund(refused, 44.4, '14')).toEqual([{ order_line_id: line.order_line_id, amount: 39.9, shipping_amount: 4.5, taxes: [], shipping_taxes: [], quantity: 1, reason_code: '14', currency_iso_code: 'EUR' }]);
    const paid = { ...refused, order_lines: [{ ...refused.order_lines[0]!, refunds: [{ ...refused.order_lines[0]!.refunds![0]!, state: 'REFUNDED' }] }, order.order_lines[1]!] };
    expect(findRefund(paid, 44.4, '14')).toEqual({ reference: 'G9', amount: 44.4 });
  });
});
