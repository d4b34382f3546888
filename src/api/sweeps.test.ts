import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberFor } from '../../fixtures/laposte/testing.ts';
import { SweepLock } from '../jobs/sweep-lock.ts';
import { buildServer } from './build-server.ts';
import { type ApiWorld, startApiWorld } from './testing/api-world.ts';

const LATE = numberFor('in-transit-late');
const ON_ITS_WAY = numberFor('in-transit');

/** Real sweeps started over the API: BullMQ on Redis, the store, workers of this process and the La Poste simulator. */
describe('sweeps over the API', () => {
  let world: ApiWorld;
  beforeAll(async () => {
    world = await startApiWorld({ env: { FOLLOWUP_APPROVAL_ABOVE: '100', LAPOSTE_RATE_LIMIT: 'off' } });
    const imported = await world.server.inject({
      method: 'POST',
      url: '/api/shipments',
      headers: world.bearer('manager'),
      payload: {
        shipments: [
          { tracking_number: LATE, carrier: 'laposte', order_ref: 'CMD-5001', declared_value: '189', currency: 'EUR', promised_date: '2026-03-05' },
          { tracking_number: ON_ITS_WAY, carrier: 'laposte', order_ref: 'CMD-5002', declared_value: '59', currency: 'EUR', promised_date: '2026-03-12' },
        ],
      },
    });
    expect(imported.json()).toMatchObject({ inserted: 2, problems: [] });
  });
  afterAll(async () => world?.close());

  const call = (method: 'GET' | 'POST', url: string) => world.server.inject({ method, url, headers: world.bearer('admin') });
  const prefix = () => world.env.PARCELBOT_QUEUE_PREFIX ?? '';

  it('refuses to start a sweep while another one runs, naming it', async () => {
    const redis = world.app.redis.connect();
    const lock = await SweepLock.acquire(redis, prefix(), '0b7c3f5e-9a41-4d7e-8c2a-51f0e6d93b24', () => {});
    try {
      const refused = await call('POST', '/api/sweeps');
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({
        type: '/problems/sweep-running',
        detail: 'sweep 0b7c3f5e-9a41-4d7e-8c2a-51f0e6d93b24 is running; one sweep runs at a time: follow it at GET /api/sweeps/0b7c3f5e-9a41-4d7e-8c2a-51f0e6d93b24',
        runningSweepId: '0b7c3f5e-9a41-4d7e-8c2a-51f0e6d93b24',
      });
      expect((await call('GET', '/api/sweeps')).json().items).toEqual([]);
    } finally {
      await lock?.release();
      await redis.quit();
    }
  });

  it('starts a sweep and answers 202 at once; the sweep checks every due parcel, judges it, and the rules propose follow-ups', { timeout: 60_000 }, async () => {
    const started = await call('POST', '/api/sweeps');
    expect(started.statusCode).toBe(202);
    const sweep = started.json();
    expect(sweep).toMatchObject({ trigger: 'api', state: 'running', checked: 0 });
    expect(sweep).not.toHaveProperty('finishedAt');
    expect(started.headers.location).toBe(`/api/sweeps/${sweep.id}`);

    await expect.poll(async () => (await call('GET', `/api/sweeps/${sweep.id}`)).json().state, { timeout: 50_000, interval: 100 }).toBe('done');
    expect((await call('GET', `/api/sweeps/${sweep.id}`)).json()).toMatchObject({ enqueued: 2, checked: 2, failed: 0, leftWaiting: [], finishedAt: world.clock.now().toISOString() });
    expect((await call('GET', '/api/sweeps')).json().items.map((item: { id: string }) => item.id)).toEqual([sweep.id]);

    const late = (await call('GET', '/api/shipments?verdict=late,lost_suspected')).json().items;
    expect(late.map((shipment: { trackingNumber: string }) => shipment.trackingNumber)).toEqual([LATE]);
    const awaiting = (await call('GET', `/api/followups?state=awaiting_approval&shipmentId=${late[0].id}`)).json().items;
    expect(awaiting.map((followUp: { kind: string }) => followUp.kind).sort()).toEqual(['carrier_claim', 'reshipment']);
  });

  it('answers 404 for a sweep it does not have, and 400 for an id that is no sweep id', async () => {
    expect((await call('GET', '/api/sweeps/7d3c1a52-4b8e-4f60-9a1d-2e5c7b9f0a13')).statusCode).toBe(404);
    expect((await call('GET', '/api/sweeps/latest')).json()).toMatchObject({ status: 400, errors: [{ field: 'path.id', message: 'expected a sweep id (a UUID)' }] });
  });

  it('interrupts the sweep it started when the server stops: recorded as interrupted, to resume', { timeout: 60_000 }, async () => {
    world.clock.advance(24 * 3_600_000);
    // A worker online but paused: the sweep hands its parcels over and waits for them.
    const idle = world.app.startWorkers(['laposte'], 1);
    const [worker] = idle.workers;
    await worker?.waitUntilReady();
    await worker?.pause(true);
    const server = await buildServer({ app: world.app });
    try {
      const started = await server.inject({ method: 'POST', url: '/api/sweeps', headers: world.bearer('admin') });
      expect(started.statusCode).toBe(202);
      await server.close();
      expect(await (await world.app.store()).sweeps.get(started.json().id)).toMatchObject({ state: 'interrupted', checked: 0 });
    } finally {
      await idle.close();
    }
  });
});
