import { afterEach, describe, expect, it } from 'vitest';
import type { ShipmentInput } from '../domain/shipment.ts';
import { createApp } from '../main.ts';
import { startTestWorld, type TestWorld } from '../testing/test-app.ts';
import { syncMarketplace } from './sync-marketplace.ts';

const START = '2026-03-10T09:00:00Z';
let world: TestWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

const parcel = (trackingNumber: string, orderRef: string, extra: Partial<ShipmentInput> = {}): ShipmentInput => ({ trackingNumber, carrier: 'laposte', orderRef, customerLang: 'fr', destinationCountry: 'FR', ...extra });

/** A world with shipments of three Amazon orders (one in two parcels); its waits move the clock. */
async function start(env: Record<string, string> = {}, onWait: (ms: number) => void = () => {}) {
  world = await startTestWorld({ now: START, env });
  const current = world;
  const store = await current.app.store();
  await store.shipments.upsertMany(
    [
      parcel('6A10000000001', '171-1000001-1000001', { promisedTo: '2026-03-20' }),
      parcel('6A10000000002', '171-1000001-1000001', { channel: 'web' }),
      parcel('6A10000000003', '402-2000000-3000000'),
      parcel('6A10000000004', '402-2000149-3000149'),
    ],
    current.clock.now(),
  );
  const waits: number[] = [];
  const wait = async (ms: number) => {
    waits.push(ms);
    onWait(ms);
    current.clock.advance(ms);
  };
  return { world: current, store, amazon: current.fixtures.amazon, waits, sync: () => syncMarketplace(current.app, 'amazon', { wait }) };
}

describe('the Amazon sync', () => {
  it('brings the promised delivery dates of every page to the shipments of the same orders, and reports the bad orders', async () => {
    const { store, amazon, sync } = await start();
    const report = await sync();
    expect(report).toMatchObject({ outcome: 'completed', pages: 2, read: 159, created: 0, updated: 4, unchanged: 0, awaitingShipment: 2, cancelled: 1, unmatched: 149, bad: 4 });
    expect(new Set(report.badOrders)).toEqual(
      new Set([
        { orderRef: '171-1000006-1000006', reason: 'LatestDeliveryDate: expected an ISO 8601 date and time' },
        { orderRef: '171-1000007-1000007', reason: 'LastUpdateDate: missing' },
        { orderRef: '171-1000008-1000008', reason: 'Shipped: no delivery promise to bring (no latest delivery date)' },
        { orderRef: '171-1000009-1000009', reason: 'OrderStatus: unknown status "Lost"' },
      ]),
    );
    const window = { MarketplaceIds: 'A13V1IB3VIYZZH', LastUpdatedAfter: '2026-02-08T09:00:00.000Z', LastUpdatedBefore: '2026-03-10T08:58:00.000Z', MaxResultsPerPage: '100' };
    expect(amazon.stats().getOrdersQueries).toEqual([window, { ...window, NextToken: expect.any(String) }]);
    expect(await store.shipments.find('laposte', '6A10000000001')).toMatchObject({ promisedFrom: '2026-03-11', promisedTo: '2026-03-13', channel: 'amazon:fr' });
    expect(await store.shipments.find('laposte', '6A10000000002')).toMatchObject({ promisedFrom: '2026-03-11', promisedTo: '2026-03-13', channel: 'web' });
    expect(await store.shipments.find('laposte', '6A10000000004')).toMatchObject({ promisedFrom: '2026-03-11', promisedTo: '2026-03-14' });
    expect(JSON.stringify(report)).not.toMatch(/@|Camille|rue de la Paix/);
  });

  it('fetches one LWA token for every run and process, and asks again once when Amazon says it expired', async () => {
    const { world, amazon, sync } = await start();
    await sync();
    world.clock.advance(15 * 60_000);
    // Another process on the same Redis and store (whose closing must not close this test's store).
    const shared = await world.app.store();
    const other = await createApp({ env: world.env, clock: world.clock, openStore: async () => ({ ...shared, db: { ...shared.db, close: async () => {} } }) });
    try {
      expect(await syncMarketplace(other, 'amazon')).toMatchObject({ outcome: 'completed', read: 0 });
    } finally {
      await other.close();
    }
    expect(amazon.stats()).toMatchObject({ tokenRequests: 1, totalCalls: 3 });

    amazon.expireTokens();
    world.clock.advance(15 * 60_000);
    expect(await sync()).toMatchObject({ outcome: 'completed' });
    expect(amazon.stats()).toMatchObject({ tokenRequests: 2, refusedTokens: 1, byStatus: { 200: 4, 403: 1 } });
  });

  it('waits out the usage plan when its burst is spent, and completes', async () => {
    const { amazon, waits, sync } = await start();
    amazon.configure({ usagePlan: { rate: 0.0167, burst: 1 } });
    expect(await sync()).toMatchObject({ outcome: 'completed', pages: 2, rateLimitWaits: 1 });
    expect(waits).toEqual([59_881]);
    expect(amazon.stats()).toMatchObject({ throttled: 1, byStatus: { 200: 2, 429: 1 } });
  });

  it('reads a stopped window again from its start when its NextToken has expired', async () => {
    let first = true;
    const { amazon, sync } = await start({ AMAZON_RATE_LIMIT: '1/1m' }, () => {
      if (first) amazon.setFaults({ fault: 'http-503', times: 3 });
      first = false;
    });
    expect(await sync()).toMatchObject({ outcome: 'failed', pages: 1, error: { code: 'CARRIER_UNAVAILABLE' } });
    amazon.forgetNextTokens();
    const resumed = await sync();
    expect(resumed).toMatchObject({ outcome: 'completed', read: 159 });
    expect(amazon.stats().byStatus).toMatchObject({ 400: 1 });
  });

  it('fails on refused LWA credentials after one token request', async () => {
    const { amazon, sync } = await start({ AMAZON_CLIENT_SECRET: 'not-the-secret' });
    const report = await sync();
    expect(report).toMatchObject({ outcome: 'failed', error: { code: 'CARRIER_AUTH_REFUSED', message: expect.stringContaining('AMAZON_CLIENT_SECRET') } });
    expect(report.error?.message).not.toContain('not-the-secret');
    expect(amazon.stats()).toMatchObject({ tokenRequests: 1, tokenRequestsByStatus: { 401: 1 }, totalCalls: 0 });
  });
});
