import { describe, expect, it } from 'vitest';
import { payloadReader } from '../../fixtures/testing/payloads.ts';
import { parseOrderList } from './parse.ts';
import { refundOrder } from './refund.ts';

const payload = payloadReader('mirakl');
const order = parseOrderList(payload('or11-real-eci-awaiting-shipment.json'), { instance: 'eci', timeZone: 'Europe/Madrid', transitDays: 2, carrierOverrides: {} });
const request = { orderRef: order.orders[0]!.orderRef, amount: 10, currency: 'EUR', reason: 'late' };
const refundAnswering = (answer: unknown) => refundOrder(request, { reasonCode: '14', read: async () => order, send: async () => JSON.stringify(answer) });

describe('the OR28 answer', () => {
  it('names the refund by its group id, else (absent or empty) by the ids of its line refunds', async () => {
    const made = JSON.parse(payload('or28-refund-made.json')) as { refunds: Record<string, unknown>[] };
    expect(await refundAnswering(made)).toEqual({ orderRef: request.orderRef, reference: 'RF-7001', amount: 10 });
    const lines = [{ ...made.refunds[0], order_refund_id: '' }, { ...made.refunds[0], order_refund_id: null, refund_id: 8002 }];
    expect(await refundAnswering({ refunds: lines })).toMatchObject({ reference: 'RF-7001-1,8002' });
  });

  it('refuses an answer listing no refund or one without an id, the refund perhaps made', async () => {
    for (const refunds of [[], [{ refund_id: '' }]]) {
      await expect(refundAnswering({ refunds })).rejects.toMatchObject({ code: 'CARRIER_BAD_PAYLOAD', evidence: { body: JSON.stringify({ refunds }) } });
    }
  });
});
