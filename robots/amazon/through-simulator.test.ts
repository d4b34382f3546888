import { afterAll, describe, expect, it } from 'vitest';
import { useFixtureServer } from '../../fixtures/testing/fixture-server.ts';
import { testRobotContext } from '../../fixtures/testing/robot-context.ts';
import type { OrderPage } from '../../src/domain/marketplace-order.ts';
import { createHttpClient } from '../../src/infra/http-client.ts';
import type { TokenCache } from '../../src/robot-kit/index.ts';
import amazon from './index.ts';

/** The robot over real HTTP against the Amazon simulator: 9 catalog orders and 250 more, three pages of 100. */
const START = '2026-03-10T09:00:00Z';
const WINDOW = { updatedFrom: '2026-03-01T00:00:00.000Z', updatedTo: '2026-03-10T08:58:00.000Z' };
const http = createHttpClient();
const { server, clock } = await useFixtureServer('amazon', START, { amazon: { generatedOrders: 250 } });
const simulator = server.amazon;
afterAll(() => http.close());

/** No cache: every page asks Login with Amazon for a token, which these tests do not count. */
const tokens: TokenCache = { get: async (_key, fetch) => (await fetch()).token, invalidate: async () => {} };
const robot = amazon.create(testRobotContext({ http, clock, tokens }), amazon.config.parse(server.env));

/** Every page of WINDOW, as the marketplace sync reads them. */
async function readWindow(): Promise<OrderPage[]> {
  const pages: OrderPage[] = [];
  let page: string | undefined;
  do {
    const read = await robot.readOrderPage!({ ...WINDOW, page });
    pages.push(read);
    page = read.next;
  } while (page !== undefined);
  return pages;
}

const refsOf = (pages: OrderPage[]) => pages.flatMap((page) => [...page.orders, ...page.rejected].map((order) => order.orderRef));

describe('getOrders pages through the Amazon simulator', () => {
  it("asks every page with the window's filters, and reads every order of the window once", async () => {
    const pages = await readWindow();
    expect(pages.map((page) => page.orders.length + page.rejected.length)).toEqual([100, 100, 59]);
    expect(new Set(refsOf(pages))).toEqual(new Set(simulator.orderIds()));
    expect(refsOf(pages)).toHaveLength(259);
    const filters = { MarketplaceIds: 'A13V1IB3VIYZZH', LastUpdatedAfter: WINDOW.updatedFrom, LastUpdatedBefore: WINDOW.updatedTo, MaxResultsPerPage: '100' };
    expect(simulator.stats().getOrdersQueries).toEqual([filters, { ...filters, NextToken: pages[0]!.next }, { ...filters, NextToken: pages[1]!.next }]);
  });

  it('ends the window on an empty NextToken, asking no page after it', async () => {
    simulator.configure({ emptyNextTokenOnLastPage: true });
    const pages = await readWindow();
    expect(pages).toHaveLength(3);
    expect(refsOf(pages)).toHaveLength(259);
    expect(simulator.stats()).toMatchObject({ totalCalls: 3, byStatus: { 200: 3 } });
  });
});
