import { beforeEach, describe, expect, it } from 'vitest';
import { money } from '../../fixtures/seller-portal/html.ts';
import { loadOrderEntries, type ShownOrder, showOrder } from '../../fixtures/seller-portal/orders.ts';
import { catalogOrders, portalVisitor, useSellerPortalRuntime } from '../../fixtures/seller-portal/testing.ts';
import { useFixtureServer } from '../../fixtures/testing/fixture-server.ts';
import { inside, maskedPixels, pngSize } from '../../fixtures/testing/masked-pixels.ts';
import { rejectionOf } from '../../fixtures/testing/robot-errors.ts';

// The same flows with SELLER_PORTAL_MODE=browser: Chromium (one for the file) through the real
// portal runtime, the same steps and parse.ts on page.content().

const START = '2026-03-10T09:00:00Z';
const { server, base } = await useFixtureServer('seller-portal', START);
const runtime = useSellerPortalRuntime(() => server.env);
const portal = server['seller-portal'];
const BROWSER = { SELLER_PORTAL_MODE: 'browser' };
beforeEach(() => runtime.fresh());

describe('in a browser', () => {
  it('reads every page of the list, filters, and an order, signed in once', { timeout: 90_000 }, async () => {
    const robot = runtime.robot(BROWSER);
    expect(await robot.listOrders({})).toEqual(catalogOrders(new Date(START)));
    expect(portal.stats().listPagesServed).toEqual([1, 2, 3]);

    const filter = { states: ['shipped', 'delivered'] as const };
    expect(await robot.listOrders({ ...filter, states: [...filter.states] })).toEqual(catalogOrders(new Date(START), filter));
    expect(portal.stats().listPagesServed).toEqual([1, 2, 3, 1, 2]);

    expect(await robot.readOrder('SP-10040')).toEqual(catalogOrders(new Date(START)).find((order) => order.orderRef === 'SP-10040'));
    expect(await robot.readOrder('SP-99999')).toBeUndefined();
    // Another worker process: its own browser context, from the session stored in Redis.
    expect(await runtime.robot(BROWSER).readOrder('SP-10044')).toMatchObject({ state: 'awaiting shipment' });
    expect(portal.stats().logins).toEqual({ attempted: 1, succeeded: 1, refused: 0, locked: 0 });
  });

  it('refunds an order, and is refused for more than its total', async () => {
    const robot = runtime.robot(BROWSER);
    expect(await robot.refund({ orderRef: 'SP-10045', amount: 12.5, currency: 'EUR', reason: 'One mug arrived broken' })).toEqual({ orderRef: 'SP-10045', reference: 'RF-80001', amount: 12.5 });
    const refused = await rejectionOf(robot.refund({ orderRef: 'SP-10043', amount: 80, currency: 'EUR', reason: 'Goodwill' }));
    expect(refused).toMatchObject({ code: 'REQUEST_REFUSED', evidence: { step: 'submit refund', status: 422 } });
    expect(refused.message).toMatch(/more than what is left to refund/);
    expect(portal.stats().refunds).toEqual({ accepted: 1, refused: 1 });
    expect(await robot.readOrder('SP-10045')).toMatchObject({ state: 'refunded' });
  });

  it('signs in again once when the session ends mid-flow, on slow pages', async () => {
    portal.setFaults({ latencyMs: 200 });
    const robot = runtime.robot(BROWSER);
    await robot.readOrder('SP-10045');
    portal.expireSessionsAt(1);
    expect(await robot.readOrder('SP-10044')).toMatchObject({ orderRef: 'SP-10044' });
    expect(portal.stats().logins).toMatchObject({ attempted: 2, succeeded: 2 });
  });

  it('classifies a refused login, a 500 page and a changed layout (with a screenshot)', async () => {
    portal.setFaults({ fault: 'login-refused', times: 1 });
    expect(await rejectionOf(runtime.robot(BROWSER).readOrder('SP-10045'))).toMatchObject({ code: 'PORTAL_LOGIN_REFUSED', evidence: { step: 'submit login' } });

    runtime.fresh();
    const robot = runtime.robot(BROWSER);
    await robot.readOrder('SP-10045');
    portal.setFaults({ fault: 'http-500', times: 1 });
    expect(await rejectionOf(robot.readOrder('SP-10045'))).toMatchObject({ code: 'PORTAL_PAGE_ERROR', evidence: { step: 'open order', status: 500 } });

    portal.setFaults({ fault: 'changed-layout' });
    const changed = await rejectionOf(robot.listOrders({}));
    expect(changed).toMatchObject({ code: 'PORTAL_LAYOUT_CHANGED', evidence: { step: 'open orders page 1' } });
    expect(changed.evidence?.html).toMatch(/class="ui-orderRow"/);
    expect(Buffer.from(changed.evidence?.screenshot ?? '', 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  it("paints over every customer's name in the screenshot of a changed layout, and nothing else of the orders", async () => {
    const robot = runtime.robot(BROWSER);
    await robot.readOrder('SP-10045');
    portal.setFaults({ fault: 'changed-layout' });
    const changed = await rejectionOf(robot.listOrders({}));
    expect(changed.evidence?.step).toBe('open orders page 1');
    const screenshot = changed.evidence?.screenshot ?? '';

    // Where each cell was: the same page, fetched from the portal, drawn unmasked in a page of the
    // robot's size. The cells are found by their text, not by the robot's PERSONAL_CELLS.
    const visitor = portalVisitor(base);
    await visitor.signIn();
    const { html } = await visitor.get('/orders');
    const shown = loadOrderEntries()
      .map((entry) => showOrder(entry, new Date(START), []))
      .filter((order) => html.includes(`>${order.orderRef}<`));
    expect(shown).toHaveLength(20);
    const browser = await runtime.browser();
    const page = await browser.newPage();
    try {
      await page.setContent(html);
      const cell = (name: string) => page.getByRole('cell', { name, exact: true });
      /** The boxes of the cells of `order`'s row that read `texts`. */
      const cellsOf = (order: ShownOrder, texts: string[]) =>
        Promise.all(texts.map(async (text) => inside(await page.getByRole('row').filter({ has: cell(order.orderRef) }).getByRole('cell', { name: text, exact: true }).boundingBox())));
      const customers = (await Promise.all(shown.map((order) => cellsOf(order, [order.customer])))).flat();
      const others = (await Promise.all(shown.map((order) => cellsOf(order, [order.orderRef, money(order.total, order.currency)])))).flat();
      // Drawn alike: the boxes measured here are those of the screenshot.
      const size = await page.evaluate<number[]>('[document.documentElement.scrollWidth, document.documentElement.scrollHeight]');
      expect(pngSize(screenshot)).toEqual(size);

      for (const { masked, total } of await maskedPixels(browser, screenshot, customers)) expect(masked).toBe(total);
      // What locates the failure stays readable.
      for (const { masked } of await maskedPixels(browser, screenshot, others)) expect(masked).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('reports a password field it cannot fill as a changed layout, the password in no message, cause or evidence', async () => {
    portal.setFaults({ fault: 'two-step-sign-in', times: 1 });
    const password = server.env.SELLER_PORTAL_PASSWORD ?? '';
    const refused = await rejectionOf(runtime.robot({ ...BROWSER, SELLER_PORTAL_TIMEOUT_MS: '1500' }).readOrder('SP-10045'));
    expect(refused).toMatchObject({ code: 'PORTAL_LAYOUT_CHANGED', evidence: { step: 'submit login' } });
    expect(refused.message).toMatch(/\[name="password"\] is on the page but cannot be filled in/);
    // Playwright's call log quotes the value typed (`fill("...")`): in no message, stack or cause.
    const said = [refused.message, refused.stack, (refused.cause as Error).message, (refused.cause as Error).stack, JSON.stringify(refused.evidence)];
    expect(password.length).toBeGreaterThan(4);
    for (const text of said) expect(text).not.toContain(password);
    expect(portal.stats().logins.attempted).toBe(0);
  });

  it('checks every selector of the portal', async () => {
    const checks = await runtime.robot(BROWSER).checkPortal();
    expect(checks.length).toBeGreaterThan(30);
    expect(checks.filter((check) => check.state !== 'found')).toEqual([]);
  });
});
