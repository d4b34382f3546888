import { afterAll, describe, expect, it } from 'vitest';
import { useFixtureServer } from '../../fixtures/testing/fixture-server.ts';
import { keyOnlyTokens, testRobotContext } from '../../fixtures/testing/robot-context.ts';
import { rejectionOf } from '../../fixtures/testing/robot-errors.ts';
import type { OrderPage } from '../../src/domain/marketplace-order.ts';
import { createHttpClient } from '../../src/infra/http-client.ts';
import mirakl from './index.ts';

const { server, clock } = await useFixtureServer('mirakl', '2026-03-10T09:00:00Z');
const http = createHttpClient();
afterAll(() => http.close());

const robot = (env: Record<string, string> = {}) => mirakl.create(testRobotContext({ http, clock, tokens: keyOnlyTokens('Mirakl') }), mirakl.config.parse({ ...server.env, ...env }));
const window = { updatedFrom: '2026-03-01T00:00:00Z', updatedTo: '2026-03-10T08:58:00Z' };

describe('refunds (OR28)', () => {
  it('are recorded once even when asked twice, and show on the order afterwards', async () => {
    const request = { orderRef: 'MK-10001-A', amount: 70, currency: 'EUR', reason: 'Parcel late: goodwill' };
    const first = await robot().refund(request);
    const again = await robot().refund(request);
    expect(first).toEqual({ orderRef: 'MK-10001-A', reference: 'RF-7001', amount: 70 });
    expect(again).toEqual(first);
    expect(server.mirakl.stats()).toMatchObject({ refunds: { accepted: 1, refused: 0 }, byOperation: { OR11: 2, OR28: 1 } });
    expect(server.mirakl.refundsOf('MK-10001-A')).toEqual({
      'MK-10001-A-1': [{ orderRefundId: 'RF-7001', amount: 59, shippingAmount: 4.9, taxes: [], shippingTaxes: [], reasonCode: '14' }],
      'MK-10001-A-2': [{ orderRefundId: 'RF-7001', amount: 6.1, shippingAmount: 0, taxes: [], shippingTaxes: [], reasonCode: '14' }],
    });
    // Another amount is another refund.
    expect(await robot().refund({ ...request, amount: 5 })).toMatchObject({ reference: 'RF-7002' });
  });

  it('send the share of the taxes of a taxed line, on top of the amount when the order is TAX_EXCLUDED', async () => {
    // MK-10004-A is TAX_EXCLUDED: 199.00 + 39.80 VAT, shipping 12.00 + 2.40 VAT, 253.20 paid.
    expect(await robot().refund({ orderRef: 'MK-10004-A', amount: 238.8, currency: 'EUR', reason: 'Parcel lost' })).toMatchObject({ amount: 238.8 });
    expect(await robot().refund({ orderRef: 'MK-10004-A', amount: 14.4, currency: 'EUR', reason: 'Shipping back' })).toMatchObject({ amount: 14.4 });
    expect(server.mirakl.refundsOf('MK-10004-A')['MK-10004-A-1']).toEqual([
      { orderRefundId: 'RF-7001', amount: 199, shippingAmount: 0, taxes: [{ code: 'GB-VAT-20', amount: 39.8 }], shippingTaxes: [{ code: 'GB-VAT-20', amount: 0 }], reasonCode: '14' },
      { orderRefundId: 'RF-7002', amount: 0, shippingAmount: 12, taxes: [{ code: 'GB-VAT-20', amount: 0 }], shippingTaxes: [{ code: 'GB-VAT-20', amount: 2.4 }], reasonCode: '14' },
    ]);
    expect((await rejectionOf(robot().refund({ orderRef: 'MK-10004-A', amount: 0.01, currency: 'EUR', reason: 'x' }))).message).toMatch(/only 0.00 is left/);
    // MK-10003-A is TAX_INCLUDED: 39.00 holds 6.23 VAT, so 10.00 of it holds 1.60.
    await robot().refund({ orderRef: 'MK-10003-A', amount: 10, currency: 'EUR', reason: 'Goodwill' });
    expect(server.mirakl.refundsOf('MK-10003-A')['MK-10003-A-1']).toMatchObject([{ amount: 10, taxes: [{ code: 'DE-VAT-19', amount: 1.6 }] }]);
  });

  it('are refused by the simulator, as by Mirakl, when a taxed line is refunded without its taxes', async () => {
    const answer = await fetch(`${server.env.MIRAKL_API_URL}/api/orders/refund`, {
      method: 'PUT',
      headers: { Authorization: server.env.MIRAKL_API_KEY!, 'Content-Type': 'application/json' },
      body: JSON.stringify({ order_tax_mode: 'TAX_EXCLUDED', refunds: [{ order_line_id: 'MK-10004-A-1', amount: 10, shipping_amount: 0, quantity: 0, reason_code: '14' }] }),
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ status: 400, message: 'Taxes are required to refund order line MK-10004-A-1: the line has taxes: send taxes[] (code, amount)' });
  });

  it('are refused with a clear reason: more than is left, another currency, an unknown order, no reason code', async () => {
    expect((await rejectionOf(robot().refund({ orderRef: 'MK-10002-A', amount: 31, currency: 'EUR', reason: 'x' }))).message).toMatch(/only 30.40 is left/);
    expect((await rejectionOf(robot().refund({ orderRef: 'MK-10002-A', amount: 5, currency: 'GBP', reason: 'x' }))).message).toMatch(/is in EUR/);
    expect((await rejectionOf(robot().refund({ orderRef: 'MK-99999-A', amount: 5, currency: 'EUR', reason: 'x' }))).code).toBe('CARRIER_BAD_REQUEST');
    expect(await rejectionOf(robot({ MIRAKL_REFUND_REASON_CODE: '99' }).refund({ orderRef: 'MK-10002-A', amount: 5, currency: 'EUR', reason: 'x' }))).toMatchObject({
      code: 'CARRIER_BAD_REQUEST',
      message: 'Mirakl refused OR28 (HTTP 400): Unknown refund reason code 99',
    });
    expect(server.mirakl.stats().refunds).toEqual({ accepted: 0, refused: 1 });
  });
});

describe('order pages (OR11)', () => {
  it('sends the raw shop key, the update window and max/offset', async () => {
    const page = await robot({ MIRAKL_SHOP_ID: '2045' }).readOrderPage(window);
    expect(page.next).toBe('100/253');
    expect(server.mirakl.stats().or11Queries).toEqual([{ ...{ start_update_date: window.updatedFrom, end_update_date: window.updatedTo }, max: '100', offset: '0', shop_id: '2045' }]);
    expect((await robot().readOrderPage({ ...window, page: page.next })).next).toBe('200/253');
  });

  it('after the list shrank between two pages, reads the rest backwards from its end', async () => {
    const first = await robot().readOrderPage(window);
    // Two orders already read are updated again: they leave the window, the others move up.
    clock.advance(60_000);
    server.mirakl.touchOrder('MK-10001-A');
    server.mirakl.touchOrder('MK-10002-A');
    expect((await robot().readOrderPage({ ...window, page: first.next })).next).toBe('98/251/251');
    expect(server.mirakl.stats().or11Queries.map((query) => query.offset)).toEqual(['0', '100']);
    expect((await robot().readOrderPage({ ...window, page: '98/251/251' })).next).toBe('98/251/151');
    expect(server.mirakl.stats().or11Queries.at(-1)).toMatchObject({ offset: '151', max: '100' });
  });

  it('reads the whole window of a busy shop, where an order already read changes before every page', async () => {
    const inWindow = await refsOfWindow();
    const seen = new Set<string>();
    const changed = new Set<string>();
    let page: string | undefined;
    let pages = 0;
    do {
      const read = await robot().readOrderPage({ ...window, page });
      for (const orderRef of refsOf(read)) seen.add(orderRef);
      page = read.next;
      pages += 1;
      // A minute later (the pace of the pages), one of the orders read has changed: it leaves the window.
      clock.advance(60_000);
      const next = [...seen].find((orderRef) => !changed.has(orderRef))!;
      server.mirakl.touchOrder(next);
      changed.add(next);
    } while (page !== undefined && pages < 10);
    expect(page).toBeUndefined();
    expect(pages).toBeLessThanOrEqual(5);
    expect(inWindow.filter((orderRef) => !seen.has(orderRef) && !changed.has(orderRef))).toEqual([]);
  });

  it.each([
    [{ fault: 'http-500' }, 'CARRIER_UNAVAILABLE'],
    [{ fault: 'http-503' }, 'CARRIER_UNAVAILABLE'],
    [{ fault: 'invalid-json' }, 'CARRIER_BAD_PAYLOAD'],
    [{ fault: 'wrong-shape' }, 'CARRIER_BAD_PAYLOAD'],
    [{ fault: 'rate-limited', retryAfterSeconds: 42 }, 'CARRIER_RATE_LIMITED'],
  ] as const)('classifies %j as %s', async (faults, code) => {
    server.mirakl.setFaults({ ...faults, times: 1 });
    const error = await rejectionOf(robot().readOrderPage(window));
    expect(error.code).toBe(code);
    if (code === 'CARRIER_RATE_LIMITED') expect(error.retryAfterMs).toBe(42_000);
    expect(JSON.stringify(error.evidence ?? {})).not.toMatch(/@example|Camille/);
  });

  it('gives up on a held answer after MIRAKL_TIMEOUT_MS, and reads a refused key as auth refused', async () => {
    server.mirakl.setFaults({ fault: 'timeout', holdMs: 5000, times: 1 });
    expect((await rejectionOf(robot({ MIRAKL_TIMEOUT_MS: '300' }).readOrderPage(window))).code).toBe('CARRIER_TIMEOUT');
    const refused = await rejectionOf(robot({ MIRAKL_API_KEY: 'wrong-key' }).readOrderPage(window));
    expect(refused).toMatchObject({ code: 'CARRIER_AUTH_REFUSED', message: 'Mirakl refused the shop API key on OR11 (HTTP 401): check MIRAKL_API_KEY (and MIRAKL_SHOP_ID)' });
  });

  it('reads one order by id', async () => {
    expect(await robot().readOrder('MK-10004-A')).toMatchObject({ carrierId: 'fedex', customerLocale: 'en_GB', destinationCountry: 'GB' });
    expect(await robot().readOrder('MK-99999-A')).toBeUndefined();
    expect((await rejectionOf(robot().readOrder('MK-10009-A'))).message).toBe("Mirakl's order MK-10009-A cannot be read: order_state: missing");
  });
});

/** The ids of a page's orders, the rejected ones included. */
const refsOf = (page: OrderPage): string[] => [...page.orders, ...page.rejected].flatMap((order) => order.orderRef ?? []);

/** The orders of the window, read while nothing changes. */
async function refsOfWindow(): Promise<string[]> {
  const refs: string[] = [];
  let page: string | undefined;
  do {
    const read = await robot().readOrderPage({ ...window, page });
    refs.push(...refsOf(read));
    page = read.next;
  } while (page !== undefined);
  return refs;
}

describe('config', () => {
  it('has no default host and refuses to call without one', async () => {
    expect(mirakl.config.parse({})).toMatchObject({ MIRAKL_TIME_ZONE: 'Europe/Paris', MIRAKL_TRANSIT_DAYS: 2, MIRAKL_TIMEOUT_MS: 10_000 });
    expect(mirakl.config.parse({}).MIRAKL_API_URL).toBeUndefined();
    const error = await rejectionOf(mirakl.create(testRobotContext({ http, clock, tokens: keyOnlyTokens('Mirakl') }), mirakl.config.parse({})).readOrderPage(window));
    expect(error).toMatchObject({ code: 'ROBOT_NOT_CONFIGURED', message: expect.stringMatching(/^MIRAKL_API_URL and MIRAKL_API_KEY are not set/) });
  });

  it.each([
    [{ MIRAKL_TIME_ZONE: 'Paris' }, 'must be an IANA time zone'],
    [{ MIRAKL_CARRIER_CODES: 'COLISPRIVE' }, 'must list CODE=robot pairs'],
    [{ MIRAKL_TRANSIT_DAYS: '40' }, 'from 0 to 30'],
  ])('refuses %j', (env, message) => {
    const result = mirakl.config.safeParse(env);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(message);
  });
});
