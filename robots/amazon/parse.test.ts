import { describe, expect, it } from 'vitest';
import { payloadReader } from '../../fixtures/testing/payloads.ts';
import { errorOf } from '../../fixtures/testing/robot-errors.ts';
import { parseGetOrders } from './parse.ts';

const payload = payloadReader('amazon');

describe('parseGetOrders', () => {
  it("reads the spec's example: a pending order awaiting shipment, no promise yet, the NextToken", () => {
    const page = parseGetOrders(payload('get-orders-spec-example-pending.json'));
    expect(page).toEqual({
      next: '2YgYW55IGNhcm5hbCBwbGVhc3VyZS4',
      rejected: [],
      orders: [
        {
          orderRef: '902-3159896-1390916',
          state: 'Pending',
          stage: 'awaiting_shipment',
          lines: [],
          total: undefined,
          currency: undefined,
          promisedFrom: undefined,
          promisedTo: undefined,
          promiseSource: undefined,
          shipBy: '2017-01-25T19:49:35Z',
          createdAt: '2017-01-20T19:49:35Z',
          updatedAt: '2017-01-20T19:49:35Z',
          channel: 'amazon:us',
          destinationCountry: 'US',
        },
      ],
    });
  });

  it('reads an empty NextToken as no next page, as the spec allows ("when present and not empty")', () => {
    const page = parseGetOrders(payload('get-orders-spec-example-pending.json').replace('"2YgYW55IGNhcm5hbCBwbGVhc3VyZS4"', '""'));
    expect(page).toMatchObject({ next: undefined, orders: [{ orderRef: '902-3159896-1390916' }] });
  });

  it("reads promised days in the marketplace's zone, and rejects each unreadable order with the field and why", () => {
    const page = parseGetOrders(payload('get-orders-shipped-and-bad-orders.json'));
    expect(page.orders.map(({ orderRef, stage, promisedFrom, promisedTo, channel, total, currency }) => ({ orderRef, stage, promisedFrom, promisedTo, channel, total, currency }))).toEqual([
      { orderRef: '171-5555555-1234567', stage: 'shipped', promisedFrom: '2025-01-22', promisedTo: '2025-01-24', channel: 'amazon:fr', total: 73.4, currency: 'EUR' },
      // 2025-01-25T07:59:59Z is the last second of the 24th in Los Angeles.
      { orderRef: '111-2222222-3333333', stage: 'shipped', promisedFrom: '2025-01-23', promisedTo: '2025-01-24', channel: 'amazon:us', total: undefined, currency: undefined },
    ]);
    expect(page.rejected).toEqual([
      { orderRef: '171-0000000-0000001', reason: 'OrderStatus: unknown status "Returned"' },
      { orderRef: '171-0000000-0000002', reason: 'PurchaseDate: missing' },
      { orderRef: 'not-an-amazon-id', reason: 'AmazonOrderId: expected an Amazon order id such as 902-3159896-1390916' },
    ]);
    expect(JSON.stringify(page)).not.toMatch(/Jane|rue de la Paix|user@example/);
  });

  it('rejects an order whose total is in no ISO 4217 currency, the others standing', () => {
    const page = parseGetOrders(payload('get-orders-shipped-and-bad-orders.json').replace('"CurrencyCode": "EUR"', '"CurrencyCode": "euros"'));
    expect(page.orders.map((order) => order.orderRef)).toEqual(['111-2222222-3333333']);
    expect(page.rejected[0]).toEqual({ orderRef: '171-5555555-1234567', reason: 'OrderTotal.CurrencyCode: expected an ISO 4217 currency code' });
  });

  it('refuses an answer that is not the Orders v0 envelope, its personal data blanked', () => {
    const body = payload('get-orders-shipped-and-bad-orders.json').replace('"Orders"', '"orders"');
    const error = errorOf(() => parseGetOrders(body));
    expect(error).toMatchObject({ code: 'CARRIER_BAD_PAYLOAD', message: 'Amazon answered getOrders with a body that does not match Orders v0: at payload.Orders: missing' });
    expect(error.evidence?.body).not.toMatch(/Jane Doe|user@example\.com|1 rue de la Paix/);
  });
});
