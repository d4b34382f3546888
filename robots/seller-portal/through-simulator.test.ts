import { Redis } from 'ioredis';
import { beforeEach, describe, expect, it } from 'vitest';
import { catalogOrders, failLogin, useSellerPortalRuntime } from '../../fixtures/seller-portal/testing.ts';
import { useFixtureServer } from '../../fixtures/testing/fixture-server.ts';
import { startLocalSite } from '../../fixtures/testing/local-site.ts';
import { rejectionOf } from '../../fixtures/testing/robot-errors.ts';
import { TEST_REDIS_URL } from '../../src/testing/test-app.ts';

// The robot in its default HTTP mode, through the real portal runtime (Redis sessions, cookie jar)
// against the seller-portal simulator. Browser mode: browser.test.ts.

const START = '2026-03-10T09:00:00Z';
const { server, base } = await useFixtureServer('seller-portal', START);
const runtime = useSellerPortalRuntime(() => server.env);
const portal = server['seller-portal'];
beforeEach(() => runtime.fresh());

describe('orders', () => {
  it('reads every page of the list: the 45 orders with their lines and promises, newest first', async () => {
    const orders = await runtime.robot().listOrders({});
    expect(portal.stats().listPagesServed).toEqual([1, 2, 3]);
    expect(orders).toEqual(catalogOrders(new Date(START)));
    expect(orders).toHaveLength(45);
    expect(orders.find((order) => order.orderRef === 'SP-10040')).toEqual({
      orderRef: 'SP-10040',
      state: 'shipped',
      customerName: 'Olivia Smith',
      lines: [{ sku: 'MUG-GRN-330', title: 'Green stoneware mug 330 ml', quantity: 3, unitPrice: 12.5 }],
      total: 37.5,
      currency: 'EUR',
      carrier: 'DHL Parcel',
      trackingNumber: '0034043493825327594',
      promisedFrom: '2026-03-08',
      promisedTo: '2026-03-11',
      createdAt: '2026-03-06',
    });
    const waiting = orders.find((order) => order.orderRef === 'SP-10044');
    expect(waiting).toMatchObject({ state: 'awaiting shipment', carrier: undefined, trackingNumber: undefined, promisedFrom: '2026-03-12', promisedTo: '2026-03-15' });
  });

  it.each([
    [{ states: ['late'] }, { states: ['late'] as const }, [1]],
    [{ states: ['shipped', 'delivered'] }, { states: ['shipped', 'delivered'] as const }, [1, 2]],
    [{ from: '2026-02-20', to: '2026-03-01' }, { from: '2026-02-20', to: '2026-03-01' }, [1]],
    [{ states: ['refunded'], from: '2026-03-01' }, { states: ['refunded'] as const, from: '2026-03-01' }, [1]],
    [{ states: ['late'], from: '2026-03-10' }, { states: ['late'] as const, from: '2026-03-10' }, [1]],
  ])('filters on the portal with %j', async (query, filter, pages) => {
    const orders = await runtime.robot().listOrders(query);
    expect(orders).toEqual(catalogOrders(new Date(START), filter));
    expect(portal.stats().listPagesServed).toEqual(pages);
  });

  it('finds something for each filter above (the table is not vacuous)', () => {
    expect(catalogOrders(new Date(START), { states: ['late'] })).toHaveLength(6);
    expect(catalogOrders(new Date(START), { states: ['shipped', 'delivered'] })).toHaveLength(26);
    expect(catalogOrders(new Date(START), { from: '2026-02-20', to: '2026-03-01' }).length).toBeGreaterThan(5);
    expect(catalogOrders(new Date(START), { states: ['refunded'], from: '2026-03-01' })).toHaveLength(1);
  });

  it('refuses a filter the portal does not know, and a badly written day before asking it', async () => {
    const unknown = await rejectionOf(runtime.robot().listOrders({ states: ['lost'] }));
    expect(unknown.code).toBe('CARRIER_BAD_REQUEST');
    expect(unknown.message).toMatch(/Unknown state "lost"/);
    const calls = portal.stats().totalCalls;
    const badDay = await rejectionOf(runtime.robot().listOrders({ from: '10/03/2026' }));
    expect(badDay.code).toBe('CARRIER_BAD_REQUEST');
    expect(portal.stats().totalCalls).toBe(calls);
  });

  it("reads an order's page, and answers undefined for an order the portal does not have", async () => {
    const robot = runtime.robot();
    expect(await robot.readOrder('SP-10038')).toEqual(catalogOrders(new Date(START)).find((order) => order.orderRef === 'SP-10038'));
    expect(await robot.readOrder('SP-10038')).toMatchObject({ state: 'refunded', total: 29.98, lines: [{ sku: 'CANISTER-1L', quantity: 2, unitPrice: 14.99 }] });
    expect(await robot.readOrder('SP-99999')).toBeUndefined();
    expect(portal.stats().byStatus[404]).toBe(1);
  });
});

describe('refunds', () => {
  it('refunds an order: the reference comes back and the order is refunded', async () => {
    const robot = runtime.robot();
    const receipt = await robot.refund({ orderRef: 'SP-10045', amount: 20, currency: 'EUR', reason: 'Parcel arrived damaged' });
    expect(receipt).toEqual({ orderRef: 'SP-10045', reference: 'RF-80001', amount: 20 });
    expect(await robot.readOrder('SP-10045')).toMatchObject({ state: 'refunded' });
    expect(portal.stats()).toMatchObject({ refunds: { accepted: 1, refused: 0 }, csrfRejected: 0 });
    expect(portal.stats().byRoute['POST /orders/:ref/refund']).toBe(1);
  });

  it('is refused, final, for more than the order total; the order stays as it was', async () => {
    const robot = runtime.robot();
    const error = await rejectionOf(robot.refund({ orderRef: 'SP-10043', amount: 73.51, currency: 'EUR', reason: 'Goodwill' }));
    expect(error).toMatchObject({ code: 'REQUEST_REFUSED', policy: 'final', evidence: { step: 'submit refund', status: 422 } });
    expect(error.message).toMatch(/refused to refund 73\.51 EUR on SP-10043: The amount is more than what is left to refund/);
    expect(portal.stats().refunds).toEqual({ accepted: 0, refused: 1 });
    expect(await robot.readOrder('SP-10043')).toMatchObject({ state: 'shipped', total: 73.5 });
  });

  it('is refused without sending the form for a cancelled order, another currency or a bad amount', async () => {
    const robot = runtime.robot();
    const cancelled = await rejectionOf(robot.refund({ orderRef: 'SP-10037', amount: 10, currency: 'EUR', reason: 'Goodwill' }));
    expect(cancelled.code).toBe('REQUEST_REFUSED');
    expect(cancelled.message).toMatch(/was cancelled: there is nothing to refund/);
    expect((await rejectionOf(robot.refund({ orderRef: 'SP-10045', amount: 10, currency: 'GBP', reason: 'Goodwill' }))).message).toMatch(/is in EUR/);
    expect((await rejectionOf(robot.refund({ orderRef: 'SP-10045', amount: 10.001, currency: 'EUR', reason: 'Goodwill' }))).code).toBe('CARRIER_BAD_REQUEST');
    expect((await rejectionOf(robot.refund({ orderRef: 'SP-99999', amount: 10, currency: 'EUR', reason: 'Goodwill' }))).message).toMatch(/no order SP-99999/);
    expect(portal.stats().byRoute['POST /orders/:ref/refund']).toBeUndefined();
  });

  it('finds a refund made before by its amount and reason, and none that was not made', async () => {
    const robot = runtime.robot();
    const request = { orderRef: 'SP-10045', amount: 12.5, currency: 'EUR', reason: 'Parcel lost [parcelbot fu-1-refund-0123456789abcdef]' };
    expect(await robot.findRefund(request)).toBeUndefined();
    const receipt = await robot.refund(request);
    expect(await robot.findRefund(request)).toEqual(receipt);
    expect(await robot.findRefund({ ...request, amount: 12.49 })).toBeUndefined();
    expect((await rejectionOf(robot.findRefund({ ...request, orderRef: 'SP-99999' }))).message).toMatch(/no order SP-99999/);
    expect(portal.stats().refunds).toEqual({ accepted: 1, refused: 0 });
  });
});

describe('sessions', () => {
  it('logs in once for many calls, across two PortalSessions sharing Redis (two worker processes)', async () => {
    const first = runtime.robot();
    const second = runtime.robot();
    await first.listOrders({ states: ['late'] });
    await Promise.all([first.readOrder('SP-10045'), second.readOrder('SP-10044'), second.listOrders({}), first.readOrder('SP-10043')]);
    await second.refund({ orderRef: 'SP-10042', amount: 5, currency: 'EUR', reason: 'Late delivery' });
    expect(portal.stats().logins).toEqual({ attempted: 1, succeeded: 1, refused: 0, locked: 0 });
    expect(portal.stats().byRoute['POST /login']).toBe(1);
  });

  it('signs in again once when the portal forgets the session mid-list, and reads the whole list', async () => {
    const robot = runtime.robot();
    await robot.readOrder('SP-10045');
    portal.expireSessionsAt(2);
    expect(await robot.listOrders({})).toHaveLength(45);
    // Page 1, then page 2 finds the session gone (sent to the sign-in page); signed in again, the list is read anew.
    expect(portal.stats()).toMatchObject({ logins: { attempted: 2, succeeded: 2 }, redirectsToLogin: 1, listPagesServed: [1, 1, 2, 3] });
  });

  it('never sends a refund twice: the session ending at the form is looked for, not sent again', async () => {
    const robot = runtime.robot();
    await robot.readOrder('SP-10045');
    portal.expireSessionsAt(2); // the refund form opens; sending it finds the session gone
    const error = await rejectionOf(robot.refund({ orderRef: 'SP-10045', amount: 10, currency: 'EUR', reason: 'Goodwill' }));
    expect(error.code).toBe('PORTAL_PAGE_ERROR');
    expect(error.message).toMatch(/shows no such refund; it was not sent twice/);
    expect(portal.stats()).toMatchObject({ logins: { succeeded: 2 }, refunds: { accepted: 0, refused: 0 } });
    expect(portal.stats().byRoute['POST /orders/:ref/refund']).toBe(1);
  });

  it('finds the refund made when the session ends on its confirmation, without sending it again', async () => {
    const robot = runtime.robot();
    await robot.readOrder('SP-10045');
    portal.expireSessionsAt(3); // form, sent (the refund is made), then the confirmation finds the session gone
    const receipt = await robot.refund({ orderRef: 'SP-10045', amount: 10, currency: 'EUR', reason: 'Goodwill' });
    expect(receipt).toEqual({ orderRef: 'SP-10045', reference: 'RF-80001', amount: 10 });
    expect(portal.stats()).toMatchObject({ logins: { succeeded: 2 }, refunds: { accepted: 1 } });
    expect(portal.stats().byRoute['POST /orders/:ref/refund']).toBe(1);
  });
});

describe('faults, classified', () => {
  it('login refused: PORTAL_LOGIN_REFUSED, and the next call does not reach the portal', async () => {
    portal.setFaults({ fault: 'login-refused' });
    const robot = runtime.robot();
    const error = await rejectionOf(robot.listOrders({}));
    expect(error).toMatchObject({ code: 'PORTAL_LOGIN_REFUSED', policy: 'final', evidence: { step: 'submit login', status: 401 } });
    expect(error.message).toMatch(/Incorrect e-mail or password/);
    const { logins, totalCalls } = portal.stats();
    expect(logins).toEqual({ attempted: 1, succeeded: 0, refused: 1, locked: 0 });
    expect((await rejectionOf(runtime.robot().readOrder('SP-10045'))).code).toBe('PORTAL_LOGIN_REFUSED');
    expect(portal.stats()).toMatchObject({ logins, totalCalls });
  });

  it('keeps the login and password out of errors and evidence', async () => {
    portal.setFaults({ fault: 'login-refused' });
    const error = await rejectionOf(runtime.robot().listOrders({}));
    const said = JSON.stringify({ message: error.message, evidence: error.evidence });
    expect(error.evidence?.html).toMatch(/name="email"/);
    for (const secret of [server.env.SELLER_PORTAL_LOGIN!, server.env.SELLER_PORTAL_PASSWORD!]) expect(said).not.toContain(secret);
  });

  it("blanks the login from a refusal's message that quotes it: the error, the refusal kept in Redis and the later calls", async () => {
    portal.setFaults({ fault: 'account-unknown' });
    const login = server.env.SELLER_PORTAL_LOGIN!;
    const error = await rejectionOf(runtime.robot().listOrders({}));
    expect(error).toMatchObject({
      code: 'PORTAL_LOGIN_REFUSED',
      message: 'submit login: the seller portal refused the sign-in: No seller account is registered for [blanked]. Check the e-mail address.',
    });
    expect(portal.stats().logins).toMatchObject({ attempted: 1, refused: 1 });
    const later = await rejectionOf(runtime.robot().readOrder('SP-10045'));
    expect(later.message).toMatch(/^submit login: the seller portal refused the sign-in: No seller account is registered for \[blanked\]/);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const refusals = await redis.keys('test-seller-portal-*:portal-refused:*');
      expect(refusals.length).toBeGreaterThan(0);
      for (const stored of await redis.mget(refusals)) expect(stored).not.toContain(login);
    } finally {
      await redis.quit();
    }
  });

  it('account locked: the robot tries each password once, and reports the lock a person caused', async () => {
    portal.configure({ lockAfterFailedLogins: 2 });
    const wrong = runtime.robot({ SELLER_PORTAL_PASSWORD: 'wrong-1' });
    expect((await rejectionOf(wrong.listOrders({}))).code).toBe('PORTAL_LOGIN_REFUSED');
    expect((await rejectionOf(wrong.listOrders({}))).code).toBe('PORTAL_LOGIN_REFUSED');
    expect(portal.stats().logins).toMatchObject({ attempted: 1, locked: 0 });
    await failLogin(base);
    const locked = await rejectionOf(runtime.robot().listOrders({}));
    expect(locked).toMatchObject({ code: 'PORTAL_ACCOUNT_LOCKED', policy: 'final', evidence: { step: 'submit login' } });
    expect(locked.message).toMatch(/locked after 2 failed sign-ins/);
    expect(portal.stats().logins).toEqual({ attempted: 3, succeeded: 0, refused: 1, locked: 2 });
  });

  it('a 500 page: PORTAL_PAGE_ERROR, transient, with the page as evidence; the next call works', async () => {
    const robot = runtime.robot();
    await robot.readOrder('SP-10045');
    portal.setFaults({ fault: 'http-500', times: 1 });
    const error = await rejectionOf(robot.readOrder('SP-10045'));
    expect(error).toMatchObject({ code: 'PORTAL_PAGE_ERROR', policy: 'transient', evidence: { step: 'open order', status: 500 } });
    expect(error.evidence?.html).toMatch(/Something went wrong/);
    expect(await robot.readOrder('SP-10045')).toMatchObject({ orderRef: 'SP-10045' });
  });

  it('a changed layout: PORTAL_LAYOUT_CHANGED, final, with the HTML and the step, never an empty list', async () => {
    const robot = runtime.robot();
    await robot.readOrder('SP-10045');
    portal.setFaults({ fault: 'changed-layout' });
    const error = await rejectionOf(robot.listOrders({}));
    expect(error).toMatchObject({ code: 'PORTAL_LAYOUT_CHANGED', policy: 'final', evidence: { step: 'open orders page 1', status: 200 } });
    expect(error.message).toMatch(/no element matches #orders-count\[data-count\]/);
    expect(error.evidence?.html).toMatch(/class="ui-orderRow"/);
    // The customers' names of the redesigned rows, blanked as the error leaves the session.
    expect(error.evidence?.html).toContain('<td class="ui-customerName">[blanked]</td>');
    expect(error.evidence?.html).not.toMatch(/Camille Martin|Lucas Bernard/);
    expect(error.evidence?.screenshot).toBeUndefined();
    expect((await rejectionOf(robot.readOrder('SP-10045'))).evidence?.step).toBe('open order');
  });

  it('slow pages still work within the timeout; past SELLER_PORTAL_TIMEOUT_MS they are PORTAL_PAGE_ERROR', async () => {
    portal.setFaults({ latencyMs: 150 });
    expect(await runtime.robot().readOrder('SP-10045')).toMatchObject({ orderRef: 'SP-10045' });
    portal.setFaults({ latencyMs: 1500 });
    const error = await rejectionOf(runtime.robot({ SELLER_PORTAL_TIMEOUT_MS: '300' }).readOrder('SP-10045'));
    expect(error).toMatchObject({ code: 'PORTAL_PAGE_ERROR', policy: 'transient', evidence: { step: 'open order' } });
    expect(error.message).toMatch(/did not load \(no answer within 300 ms\)/);
  });
});

describe('redirects to another host', () => {
  // Both modes here: the cookie jar and the browser each follow redirects their own way.
  const MODES: [string, Record<string, string>][] = [
    ['over HTTP', {}],
    ['in a browser', { SELLER_PORTAL_MODE: 'browser' }],
  ];

  it.each(MODES)('a refund form answered with a redirect to another host: HOST_NOT_ALLOWED, final, and nothing loaded from there (%s)', async (_, env) => {
    const elsewhere = await startLocalSite();
    try {
      const robot = runtime.robot(env);
      await robot.readOrder('SP-10045');
      portal.configure({ formsRedirectTo: `${elsewhere.url}/gateway?ticket=secret-ticket-1` });
      expect(await rejectionOf(robot.refund({ orderRef: 'SP-10045', amount: 5, currency: 'EUR', reason: 'Goodwill' }))).toMatchObject({
        code: 'HOST_NOT_ALLOWED',
        policy: 'final',
        message: `submit refund: the portal redirected the page to ${elsewhere.url}, which is not the portal's host: not followed`,
        evidence: { step: 'submit refund', request: { method: 'POST', url: `${base}/orders/SP-10045/refund` } },
      });
      expect(elsewhere.connections).toBe(0);
    } finally {
      await elsewhere.close();
    }
  });

  it.each(MODES)('portal check: a sign-in page the portal redirects to another host is HOST_NOT_ALLOWED, final, and nothing loaded from there (%s)', async (_, env) => {
    // A sign-in page of its own on the other host: followed, the check would find the form there.
    const elsewhere = await startLocalSite((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<form id="login-form"></form>'));
    try {
      const robot = runtime.robot(env);
      // Signed in before the move: only the check's sign-in page is sent away.
      await robot.readOrder('SP-10045');
      portal.configure({ signInMovedTo: `${elsewhere.url}/sso/login` });
      expect(await rejectionOf(robot.checkPortal())).toMatchObject({
        code: 'HOST_NOT_ALLOWED',
        policy: 'final',
        message: `check login page: the portal redirected the page to ${elsewhere.url}, which is not the portal's host: not followed`,
        evidence: { step: 'check login page', request: { method: 'GET', url: `${base}/login` } },
      });
      expect(elsewhere.requests).toEqual([]);
      expect(elsewhere.connections).toBe(0);
    } finally {
      await elsewhere.close();
    }
  });
});

describe('checkPortal', () => {
  it('finds every required selector on the portal as it is', async () => {
    const checks = await runtime.robot().checkPortal();
    expect(new Set(checks.map((check) => check.page))).toEqual(new Set(['login', 'orders', 'order', 'refund form']));
    expect(checks.filter((check) => check.state !== 'found')).toEqual([]);
  });

  it('lists what no longer matches after a redesign, page by page', async () => {
    portal.setFaults({ fault: 'changed-layout' });
    const checks = await runtime.robot().checkPortal();
    const missing = (page: string) => checks.filter((check) => check.page === page && check.state === 'missing').map((check) => check.name);
    expect(missing('login')).toEqual([]);
    expect(missing('orders')).toEqual(expect.arrayContaining(['count', 'table', 'row', 'row.ref', 'row.line.sku']));
    expect(missing('orders')).not.toContain('signedIn');
    expect(missing('order')).toEqual(expect.arrayContaining(['root', 'order.promised', 'refunds']));
    expect(missing('refund form')).toEqual(['form', 'amount', 'reason', 'submit', 'refundable']);
  });

  it('reports the pages it could not reach, and why, instead of failing', async () => {
    const robot = runtime.robot();
    await robot.readOrder('SP-10045');
    // Signed in already: the check's first two pages, login and orders, answer the error page.
    portal.setFaults({ fault: 'http-500', times: 2 });
    const reasons = new Map((await robot.checkPortal()).map((check) => [check.page, `${check.state}: ${check.reason}`]));
    expect(Object.fromEntries(reasons)).toEqual({
      login: 'page-not-reached: check login page: the portal answered HTTP 500',
      orders: 'page-not-reached: check orders page: the portal answered HTTP 500',
      order: 'page-not-reached: no order link on the orders page',
      'refund form': 'page-not-reached: no order page to take the order reference from',
    });
  });
});
