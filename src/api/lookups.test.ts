import type { Job } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { numberFor } from '../../fixtures/laposte/testing.ts';
import type { TrackJobData, TrackJobResult } from '../jobs/track-job.ts';
import { keyFingerprint } from './api-keys.ts';
import { type ApiWorld, TEST_KEYS, startApiWorld } from './testing/api-world.ts';

/** "Find my parcel" over the API: a job on the carrier's queue, answered by real workers, recorded in the store. */
describe('POST /api/lookups', () => {
  let world: ApiWorld;
  let workers: { close(): Promise<void> } | undefined;
  beforeEach(async () => {
    world = await startApiWorld();
  });
  afterEach(async () => {
    await workers?.close();
    workers = undefined;
    await world.close();
  });

  const startWorkers = async () => {
    const started = world.app.startWorkers(['laposte'], 2);
    await Promise.all(started.workers.map((worker) => worker.waitUntilReady()));
    workers = started;
  };
  const lookUp = (body: unknown, wait = 20) => world.server.inject({ method: 'POST', url: `/api/lookups?wait=${wait}`, headers: world.bearer('agent'), payload: body as object });

  it('answers with the status, timeline, estimate and suggested answers when a worker is online, and records who asked', async () => {
    await startWorkers();
    const response = await lookUp({ trackingNumber: numberFor('in-transit').replace(/(\w{4})/g, '$1 ') });
    expect(response.statusCode).toBe(200);
    const [lookup] = response.json().lookups;
    expect(lookup).toMatchObject({ trackingNumber: numberFor('in-transit'), carrier: 'laposte', state: 'done', outcome: 'found' });
    expect(lookup.answer).toMatchObject({ status: 'in_transit', estimatedDelivery: { from: '2026-03-10T23:00:00.000Z' } });
    expect(lookup.answer.events.map((event: { code: string }) => event.code)).toEqual(['ET1', 'ET1', 'PC1', 'DR1']);
    expect(lookup.answer.answer.en).toContain('on its way');
    expect(await world.db.query('select requested_by, outcome, status from lookups')).toEqual([
      { requested_by: keyFingerprint(TEST_KEYS.agent), outcome: 'found', status: 'in_transit' },
    ]);
    const again = await world.server.inject({ method: 'GET', url: `/api/lookups/${lookup.id}`, headers: world.bearer('agent') });
    expect(again.json()).toMatchObject({ id: lookup.id, state: 'done', outcome: 'found' });
  });

  it('answers 202 with the look-up to poll when not waiting, then the answer once a worker is done', async () => {
    await startWorkers();
    const events = await world.app.queues.queueEvents('laposte', 'agents');
    // A carrier slower than the API's answer: on a fast machine a worker could otherwise finish the
    // look-up before the API reads its state, and the answer would rightly be 200.
    world.fixtures.laposte.setFaults({ latencyMs: 1000 });
    const response = await lookUp({ trackingNumber: numberFor('delivered') }, 0);
    expect(response.statusCode).toBe(202);
    const [queued] = response.json().lookups;
    expect(queued.state).toMatch(/^(queued|running)$/);
    expect(response.headers.location).toBe(`/api/lookups/${queued.id}`);
    const job = (await world.app.queues.queue('laposte', 'agents').getJob(queued.id)) as Job<TrackJobData, TrackJobResult>;
    await job.waitUntilFinished(events, 20_000);
    const done = await world.server.inject({ method: 'GET', url: `/api/lookups/${queued.id}`, headers: world.bearer('agent') });
    expect(done.json()).toMatchObject({ state: 'done', outcome: 'found', answer: { status: 'delivered' } });
  });

  it('reads a look-up from the store once Redis no longer keeps its job', async () => {
    await startWorkers();
    const [lookup] = (await lookUp({ trackingNumber: numberFor('out-for-delivery') })).json().lookups;
    await (await world.app.queues.queue('laposte', 'agents').getJob(lookup.id))?.remove();
    const stored = await world.server.inject({ method: 'GET', url: `/api/lookups/${lookup.id}`, headers: world.bearer('agent') });
    expect(stored.json()).toMatchObject({ id: lookup.id, state: 'done', outcome: 'found', answer: { status: 'out_for_delivery' } });
  });

  it('answers a parcel read a moment ago from the store, and asks the carrier again with refresh', async () => {
    await startWorkers();
    const freshness = async (body: object) => (await lookUp(body)).json().lookups[0].answer.fresh;
    const trackingNumber = numberFor('in-transit');
    expect(await freshness({ trackingNumber })).toMatchObject({ source: 'carrier' });
    const carrierCalls = world.fixtures.laposte.stats().totalCalls;
    expect(await freshness({ trackingNumber })).toMatchObject({ source: 'store' });
    expect(world.fixtures.laposte.stats().totalCalls).toBe(carrierCalls);
    expect(await freshness({ trackingNumber, refresh: true })).toMatchObject({ source: 'carrier', ageSeconds: 0 });
    expect(world.fixtures.laposte.stats().totalCalls).toBe(carrierCalls + 1);
  });

  it("looks up every parcel of an order by its reference", async () => {
    await startWorkers();
    const store = await world.app.store();
    await store.shipments.upsertMany(
      [numberFor('in-transit'), numberFor('delivered')].map((trackingNumber) => ({ trackingNumber, carrier: 'laposte', orderRef: 'CMD-2001', customerLang: 'fr' as const, destinationCountry: 'FR' })),
      world.clock.now(),
    );
    const response = await lookUp({ orderRef: 'CMD-2001' });
    expect(response.statusCode).toBe(200);
    const statuses = response.json().lookups.map((lookup: { trackingNumber: string; answer: { status: string } }) => [lookup.trackingNumber, lookup.answer.status]);
    expect(new Map(statuses)).toEqual(new Map([[numberFor('in-transit'), 'in_transit'], [numberFor('delivered'), 'delivered']]));
  });

  it('reports a number the carrier does not know as not found', async () => {
    await startWorkers();
    const response = await lookUp({ trackingNumber: '6A99999999999' });
    expect(response.json().lookups[0]).toMatchObject({ state: 'done', outcome: 'not_found' });
  });

  it('reports a carrier that keeps failing as a failed look-up, with the reason', async () => {
    await startWorkers();
    world.fixtures.laposte.setFaults({ fault: 'http-503' });
    const response = await lookUp({ trackingNumber: numberFor('in-transit') });
    expect(response.statusCode).toBe(200);
    expect(response.json().lookups[0]).toMatchObject({ state: 'failed', outcome: 'failed', message: expect.stringMatching(/^CARRIER_UNAVAILABLE/) });
  });

  it('says until when a look-up waits while the carrier rate-limits its queue', async () => {
    await startWorkers();
    world.fixtures.laposte.setFaults({ fault: 'rate-limited', retryAfterSeconds: 3600 });
    const [queued] = (await lookUp({ trackingNumber: numberFor('in-transit') }, 0)).json().lookups;
    const poll = async () => (await world.server.inject({ method: 'GET', url: `/api/lookups/${queued.id}`, headers: world.bearer('agent') })).json();
    await vi.waitFor(async () => expect(await poll()).toHaveProperty('heldUntil'), { timeout: 10_000 });
    const held = await poll();
    expect(held).toMatchObject({ state: 'queued' });
    const waitMs = Date.parse(held.heldUntil) - world.app.clock.now().getTime();
    expect(waitMs).toBeGreaterThan(3_500_000);
    expect(waitMs).toBeLessThanOrEqual(3_600_000);
  });

  it('answers 503 and enqueues nothing when no worker serves the carrier', async () => {
    const response = await lookUp({ trackingNumber: numberFor('in-transit') });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ type: '/problems/no-worker', detail: expect.stringContaining('parcelbot worker') });
    expect(await world.app.queues.queue('laposte', 'agents').count()).toBe(0);
  });

  it.each([
    { label: 'an unknown order', body: { orderRef: 'CMD-NOPE' }, status: 404, type: 'unknown-order' },
    { label: 'a look-up id never given', url: '/api/lookups/lookup-00000000-0000-0000-0000-000000000000', status: 404, type: 'not-found' },
    { label: 'another job than a look-up', url: '/api/lookups/sweep-1-0', status: 404, type: 'not-found' },
  ])('answers $label with $status', async ({ body, url, status, type }) => {
    const response = url
      ? await world.server.inject({ method: 'GET', url, headers: world.bearer('agent') })
      : await lookUp(body);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ type: `/problems/${type}` });
  });
});
