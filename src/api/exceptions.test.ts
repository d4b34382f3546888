import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { numberFor } from '../../fixtures/laposte/testing.ts';
import type { FollowUp } from '../followups/follow-up-executor.ts';
import { keyFingerprint } from './api-keys.ts';
import { buildServer } from './build-server.ts';
import { type ApiWorld, TEST_KEYS, startApiWorld } from './testing/api-world.ts';
import { InMemoryFollowUps } from './testing/in-memory-follow-ups.ts';
import { InMemorySweeps } from './testing/in-memory-sweeps.ts';

const MANAGER = keyFingerprint(TEST_KEYS.manager);
const claim = (id: string, state: FollowUp['state'] = 'awaiting_approval'): FollowUp => ({
  id,
  shipmentId: 1,
  kind: 'carrier_claim',
  state,
  ruleId: 'claim-lost-parcels', reason: 'test',
  params: { type: 'lost' },
  dueAt: '2026-03-10T08:00:00Z',
  createdAt: '2026-03-10T07:00:00Z',
});

describe('the exception queue over the API', () => {
  let world: ApiWorld;
  let followUps: InMemoryFollowUps;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    followUps = new InMemoryFollowUps();
    world = await startApiWorld({ ports: { followUps, sweeps: new InMemorySweeps({ now: () => new Date('2026-03-10T08:00:00Z') }) } });
  });
  afterAll(async () => world?.close());

  /** Four open exceptions of different ages, values and carriers; one asks for a claim's approval. */
  beforeEach(async () => {
    await world.db.exec('truncate exceptions, shipments restart identity cascade');
    const store = await world.app.store();
    const now = world.clock.now().getTime();
    const hoursAgo = (hours: number) => new Date(now - hours * 3_600_000);
    await store.shipments.upsertMany(
      [
        { trackingNumber: numberFor('in-transit'), carrier: 'laposte', declaredValue: 20, currency: 'EUR', customerLang: 'fr', destinationCountry: 'FR', orderRef: 'CMD-1' },
        { trackingNumber: numberFor('problem'), carrier: 'laposte', declaredValue: 300, currency: 'EUR', customerLang: 'fr', destinationCountry: 'FR', orderRef: 'CMD-2' },
      ],
      world.clock.now(),
    );
    const open = async (name: string, exception: { carrier: string; trackingNumber: string; code: string; hours: number; followUpId?: string }) => {
      await store.exceptions.open({ ...exception, message: `${exception.code} on ${exception.trackingNumber}`, jobId: `job-${name}`, openedAt: hoursAgo(exception.hours) });
      const [row] = await world.db.query<{ id: number }>('select id from exceptions where job_id = $1', [`job-${name}`]);
      ids[name] = Number(row?.id);
    };
    await open('cheap', { carrier: 'laposte', trackingNumber: numberFor('in-transit'), code: 'CARRIER_UNAVAILABLE', hours: 50 });
    await open('dear', { carrier: 'laposte', trackingNumber: numberFor('problem'), code: 'CARRIER_BAD_PAYLOAD', hours: 2 });
    await open('portal', { carrier: 'seller-portal', trackingNumber: 'ORDER-77', code: 'PORTAL_LAYOUT_CHANGED', hours: 10 });
    await open('claim', { carrier: 'laposte', trackingNumber: numberFor('problem'), code: 'CARRIER_UNAVAILABLE', hours: 1, followUpId: 'claim-1' });
    followUps.add(claim('claim-1'));
  });

  const list = async (query = '') => (await world.server.inject({ method: 'GET', url: `/api/exceptions?${query}`, headers: world.bearer('manager') })).json();
  const act = (id: number, action: string, body?: object) => world.server.inject({ method: 'POST', url: `/api/exceptions/${id}/${action}`, headers: world.bearer('manager'), payload: body });
  const names = (items: { id: number }[]) => items.map((item) => Object.keys(ids).find((name) => ids[name] === item.id));

  it.each([
    { query: '', expected: ['cheap', 'portal', 'dear', 'claim'] },
    { query: 'sort=newest', expected: ['claim', 'dear', 'portal', 'cheap'] },
    { query: 'sort=highest_value', expected: ['dear', 'claim', 'cheap', 'portal'] },
    { query: 'code=CARRIER_UNAVAILABLE', expected: ['cheap', 'claim'] },
    { query: 'code=CARRIER_BAD_PAYLOAD,PORTAL_LAYOUT_CHANGED', expected: ['portal', 'dear'] },
    { query: 'carrier=seller-portal', expected: ['portal'] },
    { query: 'minAgeHours=5', expected: ['cheap', 'portal'] },
    { query: 'maxAgeHours=5', expected: ['dear', 'claim'] },
    { query: 'minValue=100', expected: ['dear', 'claim'] },
    { query: 'maxValue=100&sort=lowest_value', expected: ['cheap'] },
    { query: 'limit=1&offset=1', expected: ['portal'] },
  ])('lists $query', async ({ query, expected }) => {
    const page = await list(query);
    expect(names(page.items)).toEqual(expected);
  });

  it('counts all matches whatever the page, and keeps evidence out of the list', async () => {
    const page = await list('limit=1');
    expect(page.total).toBe(4);
    expect(page.items[0]).not.toHaveProperty('evidence');
    expect(page.items[0]).toMatchObject({ orderRef: 'CMD-1', declaredValue: 20, currency: 'EUR' });
  });

  it('resolves: closed with who, when and the note, then out of the open list; a second close is refused', async () => {
    const response = await act(ids.cheap ?? 0, 'resolve', { reason: 'customer refunded by phone' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ resolution: 'resolved', resolvedBy: MANAGER, resolvedAt: world.clock.now().toISOString(), resolutionNote: 'customer refunded by phone' });
    expect(names((await list()).items)).not.toContain('cheap');
    expect(names((await list('state=closed')).items)).toEqual(['cheap']);
    const again = await act(ids.cheap ?? 0, 'retry');
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/was closed \(resolved\) by key:/);
  });

  it("retries: the parcel's track job is enqueued again and the exception closed as retried", async () => {
    const response = await act(ids.cheap ?? 0, 'retry');
    expect(response.json()).toMatchObject({ resolution: 'retried' });
    const job = await world.app.queues.queue('laposte').getJob(`sweep-exception-${ids.cheap}-0`);
    expect(job?.data).toMatchObject({ carrier: 'laposte', trackingNumbers: [numberFor('in-transit')], origin: 'sweep' });
  });

  it('refuses to retry what no robot re-tracks', async () => {
    const response = await act(ids.portal ?? 0, 'retry');
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ type: '/problems/not-retryable' });
  });

  it('approves the follow-up an exception waits on, and rejects one only with a reason', async () => {
    expect((await act(ids.claim ?? 0, 'reject')).json()).toMatchObject({ status: 400, errors: [{ field: 'reason' }] });
    const response = await act(ids.claim ?? 0, 'approve');
    expect(response.json()).toMatchObject({ resolution: 'approved', resolvedBy: MANAGER });
    expect(await followUps.get('claim-1')).toMatchObject({ state: 'proposed' });
    expect(followUps.decisions.at(-1)).toEqual({ id: 'claim-1', actor: MANAGER, action: 'approve' });
  });

  it('refuses to approve an exception that waits on no follow-up, or whose follow-up was decided', async () => {
    expect((await act(ids.dear ?? 0, 'approve')).json()).toMatchObject({ status: 409, type: '/problems/no-follow-up' });
    followUps.add(claim('claim-1', 'cancelled'));
    expect((await act(ids.claim ?? 0, 'approve')).json()).toMatchObject({ status: 409, detail: 'follow-up claim-1 is cancelled, not awaiting approval' });
    expect((await act(999_999, 'resolve')).statusCode).toBe(404);
  });

  it('applies a bulk action to each exception on its own', async () => {
    const response = await world.server.inject({
      method: 'POST',
      url: '/api/exceptions/bulk',
      headers: world.bearer('manager'),
      payload: { ids: [ids.cheap, ids.dear, ids.portal, 999_999], action: 'retry' },
    });
    expect(response.json()).toMatchObject({
      action: 'retry',
      done: 2,
      failed: 2,
      results: [
        { id: ids.cheap, ok: true },
        { id: ids.dear, ok: true },
        { id: ids.portal, ok: false, problem: { status: 409, type: '/problems/not-retryable' } },
        { id: 999_999, ok: false, problem: { status: 404 } },
      ],
    });
    expect(await world.app.queues.queue('laposte').count()).toBe(2);
  });

  it('shows one exception with its evidence', async () => {
    const store = await world.app.store();
    await store.exceptions.open({ carrier: 'relay-portal', trackingNumber: 'RP3182746507', code: 'PORTAL_LAYOUT_CHANGED', message: 'search box missing', evidence: { step: 'search', html: '<p>x</p>', screenshot: 'iVBORw0KGgo=' }, jobId: 'job-evidence', openedAt: world.clock.now() });
    const [row] = await world.db.query<{ id: number }>(`select id from exceptions where job_id = 'job-evidence'`);
    const response = await world.server.inject({ method: 'GET', url: `/api/exceptions/${row?.id}`, headers: world.bearer('manager') });
    expect(response.json()).toMatchObject({ code: 'PORTAL_LAYOUT_CHANGED', evidence: { step: 'search', html: '<p>x</p>', screenshot: 'iVBORw0KGgo=' } });
  });
});

describe('follow-ups and sweeps over the API', () => {
  let world: ApiWorld;
  const followUps = new InMemoryFollowUps();
  beforeAll(async () => {
    world = await startApiWorld({ ports: { followUps, sweeps: new InMemorySweeps({ now: () => new Date('2026-03-10T08:00:00Z') }) } });
  });
  afterAll(async () => world?.close());

  const call = (method: 'GET' | 'POST', url: string, payload?: object) => world.server.inject({ method, url, headers: world.bearer('admin'), payload });

  it('lists follow-ups by state and kind, approves and rejects those awaiting approval', async () => {
    followUps.add(claim('claim-a'));
    followUps.add({ ...claim('refund-b'), kind: 'refund' });
    followUps.add({ ...claim('mail-c', 'done'), kind: 'customer_email' });
    const awaiting = (await call('GET', '/api/followups?state=awaiting_approval')).json().items.map((item: FollowUp) => item.id);
    expect(awaiting.sort()).toEqual(['claim-a', 'refund-b']);
    expect((await call('GET', '/api/followups?kind=refund')).json().items).toHaveLength(1);
    expect((await call('POST', '/api/followups/claim-a/approve')).json()).toMatchObject({ id: 'claim-a', state: 'proposed' });
    expect((await call('POST', '/api/followups/claim-a/approve')).statusCode).toBe(409);
    expect((await call('POST', '/api/followups/refund-b/reject', {})).json()).toMatchObject({ status: 400, errors: [{ field: 'reason' }] });
    expect((await call('POST', '/api/followups/refund-b/reject', { reason: 'customer got a voucher' })).json()).toMatchObject({ state: 'cancelled' });
    expect(followUps.decisions.at(-1)).toMatchObject({ id: 'refund-b', action: 'reject', reason: 'customer got a voucher', actor: keyFingerprint(TEST_KEYS.admin) });
    expect((await call('POST', '/api/followups/nope/approve')).statusCode).toBe(404);
  });

  it('starts a sweep (the running one when there is one) and lists sweeps', async () => {
    const started = await call('POST', '/api/sweeps');
    expect(started.statusCode).toBe(202);
    expect(started.json()).toMatchObject({ id: 'sweep-1', state: 'running', trigger: `api:${keyFingerprint(TEST_KEYS.admin)}` });
    expect((await call('POST', '/api/sweeps')).json().id).toBe('sweep-1');
    expect((await call('GET', '/api/sweeps')).json().items).toHaveLength(1);
  });

  it('answers 501 where the follow-ups or sweeps services are not wired', async () => {
    const bare = await buildServer({ app: world.app });
    try {
      for (const [method, url] of [['GET', '/api/followups'], ['POST', '/api/followups/x/approve'], ['POST', '/api/sweeps'], ['GET', '/api/sweeps']] as const) {
        const response = await bare.inject({ method, url, headers: world.bearer('admin') });
        expect(response.statusCode).toBe(501);
      }
    } finally {
      await bare.close();
    }
  });
});
