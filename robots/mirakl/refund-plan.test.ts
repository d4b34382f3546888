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
    expect(plan).toEqual(lines.map((each) => ({ ...each, reason_code: '14', currency_iso_code: 'EUR' })));
  });

  it('counts earlier refunds and refuses more than is left', () => {
    const refunded: MiraklOrder = { ...order, order_lines: [{ ...order.order_lines[0]!, refunds: [{ id: 'R1', amount: 39.9, shipping_amount: 4.5, reason_code: '14', order_refund_id: 'G1' }] }, order.order_lines[1]!] };
    expect(planRefund(refunded, 20, '15')).toEqual([{ order_line_id: 'L-2', amount: 20, shipping_amount: 0, quantity: 1, reason_code: '15', currency_iso_code: 'EUR' }]);
    expect(planRefund(refunded, 20.01, '15')).toEqual({ problem: 'only 20.00 is left to refund on its lines' });
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
});
