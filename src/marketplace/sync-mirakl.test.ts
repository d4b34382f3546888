import { afterEach, describe, expect, it } from 'vitest';
import { startTestWorld, type TestWorld } from '../testing/test-app.ts';
import { LEASE_MS, syncMarketplace } from './sync-marketplace.ts';
import { sleep } from './pacer.ts';

const START = '2026-03-10T09:00:00Z';
let world: TestWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A world whose waits move its clock: a test never sleeps, and the simulators see the time pass. */
async function start(env: Record<string, string> = {}, onWait: (ms: number) => void | Promise<void> = () => {}, signal?: AbortSignal) {
  world = await startTestWorld({ now: START, env: { MIRAKL_RATE_LIMIT: 'off', ...env } });
  const current = world;
  const waits: number[] = [];
  const wait = async (ms: number) => {
    waits.push(ms);
    await onWait(ms);
    current.clock.advance(ms);
  };
  const mirakl = current.fixtures.mirakl;
  return { world: current, mirakl, waits, sync: () => syncMarketplace(current.app, 'mirakl', { wait, signal }) };
}

const PERSONAL = /@|Camille|Martin|rue de la Paix|\+336/;

describe('the Mirakl sync', () => {
  it('reads every page of the orders changed in the look-back, makes shipments of the shipped ones and reports the bad ones', async () => {
    const { world, mirakl, sync } = await start();
    const report = await sync();
    expect(report).toMatchObject({
      outcome: 'completed',
      window: { from: '2026-02-08T09:00:00.000Z', to: '2026-03-10T08:58:00.000Z' },
      pages: 3,
      read: 253,
      created: 245,
      updated: 0,
      unchanged: 0,
      awaitingShipment: 2,
      cancelled: 1,
      bad: 5,
    });
    expect(new Set(report.badOrders)).toEqual(
      new Set([
        { orderRef: 'MK-10007-A', reason: 'unknown carrier code "COLISPRIVE"' },
        { orderRef: 'MK-10008-A', reason: 'delivery_date.earliest: expected an ISO 8601 date and time' },
        { orderRef: 'MK-10009-A', reason: 'order_state: missing' },
        { orderRef: 'MK-10011-A', reason: 'SHIPPED: shipped without a tracking number' },
        { orderRef: 'MK-10012-A', reason: 'tracking number for ups: UPS numbers have 7 to 34 letters or digits' },
      ]),
    );
    expect(mirakl.stats().or11Queries.map((query) => [query.offset, query.max])).toEqual([['0', '100'], ['100', '100'], ['200', '100']]);

    const shipments = (await world.app.store()).shipments;
    expect(await shipments.find('laposte', '6A18987970674')).toMatchObject({
      orderRef: 'MK-10001-A',
      channel: 'mirakl:demo-marketplace',
      customerEmail: 'camille.martin@example.com',
      customerLang: 'fr',
      declaredValue: 88.9,
      currency: 'EUR',
      destinationCountry: 'FR',
      promisedFrom: '2026-03-11',
      promisedTo: '2026-03-13',
    });
    // The promise from the platform's field, from the ship-by deadline plus 2 days, and an order's own channel.
    expect(await shipments.find('dhl', '00340434161094042557')).toMatchObject({ promisedTo: '2026-03-09', customerLang: 'en', destinationCountry: 'DE' });
    expect(await shipments.find('ups', '1ZA4V7296877443667')).toMatchObject({ promisedFrom: '2026-03-12', promisedTo: '2026-03-12' });
    expect(await shipments.find('laposte', 'XY123456789FR')).toMatchObject({ channel: 'mirakl:fr-pro', destinationCountry: 'BE', customerLang: 'fr' });
    expect(await shipments.find('fedex', '734567863826')).toMatchObject({ customerLang: 'en', destinationCountry: 'GB' });

    const stored = await (await world.app.store()).marketplaceSync.find('mirakl');
    expect(stored).toMatchObject({ cursor: '2026-03-10T08:58:00.000Z', lastOutcome: 'completed', lastReport: report });
    expect(stored?.windowEnd).toBeUndefined();
    expect(JSON.stringify(report)).not.toMatch(PERSONAL);
  });

  it('reads only what changed since the run before, and a run with nothing new changes nothing', async () => {
    const { world, mirakl, sync } = await start();
    await sync();
    world.clock.advance(15 * 60_000);
    mirakl.shipOrder('MK-10005-A', 'COLISSIMO', '6A99887766554');
    mirakl.touchOrder('MK-10001-A');
    world.clock.advance(5 * 60_000);
    const second = await sync();
    expect(second).toMatchObject({ window: { from: '2026-03-10T08:58:00.000Z', to: '2026-03-10T09:18:00.000Z' }, pages: 1, read: 2, created: 1, unchanged: 1, updated: 0, bad: 0 });
    expect(mirakl.stats().or11Queries.at(-1)).toMatchObject({ start_update_date: '2026-03-10T08:58:00.000Z', end_update_date: '2026-03-10T09:18:00.000Z', offset: '0' });
    expect(await (await world.app.store()).shipments.find('laposte', '6A99887766554')).toMatchObject({ orderRef: 'MK-10005-A', promisedTo: '2026-03-15' });

    world.clock.advance(15 * 60_000);
    expect(await sync()).toMatchObject({ outcome: 'completed', read: 0, created: 0, updated: 0, unchanged: 0 });
  });

  it('waits for the Retry-After of a 429 and completes', async () => {
    const { mirakl, waits, sync } = await start();
    mirakl.configure({ callFrequency: { limit: 1, windowMs: 60_000 } });
    const report = await sync();
    expect(report).toMatchObject({ outcome: 'completed', pages: 3, created: 245, rateLimitWaits: 2 });
    expect(waits).toEqual([60_000, 60_000]);
    expect(mirakl.stats()).toMatchObject({ rateLimited: 2, byStatus: { 200: 3, 429: 2 } });
  });

  it('paces its pages to MIRAKL_RATE_LIMIT (once a minute by default), so the quota never answers 429', async () => {
    const { mirakl, waits, sync } = await start({ MIRAKL_RATE_LIMIT: '' });
    mirakl.configure({ callFrequency: { limit: 1, windowMs: 60_000 } });
    expect(await sync()).toMatchObject({ outcome: 'completed', pages: 3, rateLimitWaits: 0 });
    expect(waits).toEqual([60_000, 60_000]);
    expect(mirakl.stats().rateLimited).toBe(0);
  });

  it('resumes a stopped run at the page it was on, losing and doubling nothing', async () => {
    let first = true;
    const { world, mirakl, sync } = await start({ MIRAKL_RATE_LIMIT: '1/1m' }, () => {
      // The wait before page 2: from there Mirakl fails every attempt of this run.
      if (first) mirakl.setFaults({ fault: 'http-503', times: 3 });
      first = false;
    });
    const stopped = await sync();
    expect(stopped).toMatchObject({ outcome: 'failed', pages: 1, read: 100, retries: 2, error: { code: 'CARRIER_UNAVAILABLE' } });
    const store = await world.app.store();
    expect(await store.marketplaceSync.find('mirakl')).toMatchObject({ cursor: '2026-02-08T09:00:00.000Z', windowEnd: '2026-03-10T08:58:00.000Z', pageToken: '100/253', lastOutcome: 'failed' });
    expect(await store.exceptions.listOpen()).toMatchObject([{ carrier: 'mirakl', code: 'CARRIER_UNAVAILABLE', jobId: 'sync:mirakl:CARRIER_UNAVAILABLE:2026-03-10' }]);

    // The two pages left of the stopped window, then the (empty) one since.
    const resumed = await sync();
    expect(resumed).toMatchObject({ outcome: 'completed', pages: 3, read: 153 });
    expect(stopped.created + resumed.created).toBe(245);
    expect(mirakl.stats().or11Queries.filter((query) => query.offset === '100').length).toBe(4);
    expect((await store.shipments.list(1000)).length).toBe(245);
  });

  it('fails on refused credentials without moving the cursor, with an exception to look at', async () => {
    const { world, mirakl, sync } = await start({ MIRAKL_API_KEY: 'not-the-shop-key' });
    const report = await sync();
    expect(report).toMatchObject({ outcome: 'failed', pages: 0, error: { code: 'CARRIER_AUTH_REFUSED', message: expect.stringContaining('MIRAKL_API_KEY') } });
    expect(report.error?.message).not.toContain('not-the-shop-key');
    expect(mirakl.stats()).toMatchObject({ totalCalls: 1, refusedKeys: 1 });
    const store = await world.app.store();
    expect(await store.marketplaceSync.find('mirakl')).toMatchObject({ cursor: '2026-02-08T09:00:00.000Z', windowEnd: '2026-03-10T08:58:00.000Z', pageToken: undefined, lastOutcome: 'failed' });
    expect((await store.exceptions.listOpen()).map((exception) => exception.code)).toEqual(['CARRIER_AUTH_REFUSED']);
  });

  it('lets one run at a time read a source, and says when it is not configured', async () => {
    const { world, mirakl, sync } = await start({ MIRAKL_API_URL: '' });
    // Another process's run holds the source...
    await (await world.app.store()).marketplaceSync.claim('mirakl', 'another-run', world.clock.now(), LEASE_MS);
    expect(await sync()).toMatchObject({ outcome: 'busy', pages: 0 });
    // ...until it dies and its lease lapses.
    world.clock.advance(LEASE_MS);
    expect(await sync()).toMatchObject({ outcome: 'not_configured', error: { code: 'ROBOT_NOT_CONFIGURED', message: expect.stringMatching(/^MIRAKL_API_URL is not set/) } });
    expect(mirakl.stats().totalCalls).toBe(0);
    expect(await (await world.app.store()).exceptions.listOpen()).toEqual([]);
  });

  it('reports an order whose parcel a page read earlier gave to another order, and leaves the shipment to the first', async () => {
    const { world, mirakl, sync } = await start();
    await sync();
    world.clock.advance(15 * 60_000);
    // Another order, on a later page or run, shipped under a number already stored as MK-10001-A's.
    mirakl.shipOrder('MK-10005-A', 'COLISSIMO', '6A18987970674');
    world.clock.advance(5 * 60_000);
    expect(await sync()).toMatchObject({ outcome: 'completed', read: 1, created: 0, updated: 0, bad: 1, badOrders: [{ orderRef: 'MK-10005-A', reason: 'same carrier and tracking number as order MK-10001-A' }] });
    // The first order read again keeps it, still unchanged.
    mirakl.touchOrder('MK-10001-A');
    world.clock.advance(15 * 60_000);
    expect(await sync()).toMatchObject({ read: 1, unchanged: 1, bad: 0 });
    expect(await (await world.app.store()).shipments.find('laposte', '6A18987970674')).toMatchObject({ orderRef: 'MK-10001-A', customerEmail: 'camille.martin@example.com', declaredValue: 88.9 });
  });

  it('stops before its next page when asked, gives its lease back, and the next run resumes there', async () => {
    const stop = new AbortController();
    const { world, sync } = await start({ MIRAKL_RATE_LIMIT: '1/1m' }, () => stop.abort(), stop.signal);
    const stopped = await sync();
    expect(stopped).toMatchObject({ outcome: 'stopped', pages: 1, read: 100 });
    const store = await world.app.store();
    expect(await store.marketplaceSync.find('mirakl')).toMatchObject({ pageToken: '100/253' });
    expect(await store.exceptions.listOpen()).toEqual([]);

    const resumed = await syncMarketplace(world.app, 'mirakl', { wait: async (ms) => world.clock.advance(ms) });
    expect(resumed).toMatchObject({ outcome: 'completed', read: 153 });
    expect(stopped.created + resumed.created).toBe(245);
  });

  it('a run that outlived its lease and was taken over ends as lease_lost: nothing more written, no fault opened', async () => {
    let takenOver: Promise<unknown> | undefined;
    const { world, sync } = await start({ MIRAKL_RATE_LIMIT: '1/1m' }, async () => {
      // Paused between two pages past its lease (a stopped container): another run takes the source over and completes.
      world.clock.advance(LEASE_MS + 60_000);
      takenOver ??= syncMarketplace(world.app, 'mirakl', { wait: async (ms) => world.clock.advance(ms) });
      await takenOver;
    });
    const first = await sync();
    expect(first).toMatchObject({ outcome: 'lease_lost', pages: 1, error: { code: 'LEASE_LOST' } });
    expect(await takenOver).toMatchObject({ outcome: 'completed' });
    const store = await world.app.store();
    expect(await store.exceptions.listOpen()).toEqual([]);
    expect(await store.marketplaceSync.find('mirakl')).toMatchObject({ lastOutcome: 'completed', lastReport: await takenOver });
    expect((await store.shipments.list(1000)).length).toBe(245);
  });

  it('a real wait is cut short by the stop signal', async () => {
    const stop = new AbortController();
    const waiting = sleep(60_000, stop.signal);
    stop.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });
});
