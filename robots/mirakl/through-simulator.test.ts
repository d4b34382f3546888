import { afterAll, describe, expect, it } from 'vitest';
import { useFixtureServer } from '../../fixtures/testing/fixture-server.ts';
import { keyOnlyTokens, testRobotContext } from '../../fixtures/testing/robot-context.ts';
import { rejectionOf } from '../../fixtures/testing/robot-errors.ts';
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
      'MK-10001-A-1': [{ orderRefundId: 'RF-7001', amount: 59, shippingAmount: 4.9, reasonCode: '14' }],
      'MK-10001-A-2': [{ orderRefundId: 'RF-7001', amount: 6.1, shippingAmount: 0, reasonCode: '14' }],
    });
    // Another amount is another refund.
    expect(await robot().refund({ ...request, amount: 5 })).toMatchObject({ reference: 'RF-7002' });
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

  it('goes back as many places as the list shrank between two pages', async () => {
    const first = await robot().readOrderPage(window);
    // Two orders already read are updated again: they leave the window, the others move up.
    clock.advance(60_000);
    server.mirakl.touchOrder('MK-10001-A');
    server.mirakl.touchOrder('MK-10002-A');
    expect((await robot().readOrderPage({ ...window, page: first.next })).next).toBe('98/251');
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
