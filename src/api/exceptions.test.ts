import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decisionOf } from '../../fixtures/testing/follow-ups.ts';
import { numberFor } from '../../fixtures/laposte/testing.ts';
import { keyFingerprint } from './api-keys.ts';
import { type ApiWorld, TEST_KEYS, startApiWorld } from './testing/api-world.ts';

const MANAGER = keyFingerprint(TEST_KEYS.manager);

describe('the exception queue over the API', () => {
  let world: ApiWorld;
  const ids: Record<string, number> = {};
  /** The loss claim (300 EUR, above the approval threshold) the `claim` exception waits on. */
  let claimId = '';
  beforeAll(async () => {
    world = await startApiWorld();
  });
  afterAll(async () => world?.close());

  /** Four open exceptions of different ages, values and carriers; one asks for a claim's approval. */
  beforeEach(async () => {
    await world.app.followUps.queue.queue.obliterate({ force: true });
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
    const dear = await store.shipments.find('laposte', numberFor('problem'));
    if (!dear) throw new Error('the shipment was not stored');
    const proposal = await world.app.followUps.propose(dear, decisionOf('carrier_claim', { ruleId: 'claim-lost', params: { type: 'lost' } }));
    claimId = proposal.followUp.id;
    expect(proposal.followUp.state).toBe('awaiting_approval');
    const open = async (name: string, exception: { carrier: string; trackingNumber: string; code: string; hours: number; followUpId?: string }) => {
      await store.exceptions.open({ ...exception, message: `${exception.code} on ${exception.trackingNumber}`, jobId: `job-${name}`, openedAt: hoursAgo(exception.hours) });
      const [row] = await world.db.query<{ id: number }>('select id from exceptions where job_id = $1', [`job-${name}`]);
      ids[name] = Number(row?.id);
    };
    await open('cheap', { carrier: 'laposte', trackingNumber: numberFor('in-transit'), code: 'CARRIER_UNAVAILABLE', hours: 50 });
    await open('dear', { carrier: 'laposte', trackingNumber: numberFor('problem'), code: 'CARRIER_BAD_PAYLOAD', hours: 2 });
    await open('portal', { carrier: 'seller-portal', trackingNumber: 'ORDER-77', code: 'PORTAL_LAYOUT_CHANGED', hours: 10 });
    await open('claim', { carrier: 'laposte', trackingNumber: numberFor('problem'), code: 'CARRIER_UNAVAILABLE', hours: 1, followUpId: claimId });
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
    const job = await world.app.queues.queue('laposte', 'background').getJob(`sweep-exception-${ids.cheap}-0`);
    expect(job?.data).toMatchObject({ carrier: 'laposte', trackingNumbers: [numberFor('in-transit')], origin: 'sweep' });
  });

  it('refuses to retry what no robot re-tracks', async () => {
    const response = await act(ids.portal ?? 0, 'retry');
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ type: '/problems/not-retryable' });
  });

  it('approves the follow-up an exception waits on (queued to run, the manager in its audit trail), and rejects one only with a reason', async () => {
    const before = (await world.server.inject({ method: 'GET', url: `/api/exceptions/${ids.claim}`, headers: world.bearer('manager') })).json();
    expect(before).toMatchObject({ followUpId: claimId, followUp: { kind: 'carrier_claim', state: 'awaiting_approval' } });
    expect((await act(ids.claim ?? 0, 'reject')).json()).toMatchObject({ status: 400, errors: [{ field: 'reason' }] });
    const response = await act(ids.claim ?? 0, 'approve');
    expect(response.json()).toMatchObject({ resolution: 'approved', resolvedBy: MANAGER, followUp: { kind: 'carrier_claim', state: 'proposed' } });
    const record = await world.app.followUps.get(claimId);
    expect(record?.followUp.state).toBe('proposed');
    expect(record?.audit.at(-1)).toMatchObject({ actor: `manager:${MANAGER}`, event: 'approved', fromState: 'awaiting_approval', toState: 'proposed' });
    expect(await world.app.followUps.queue.queue.getJob(claimId)).toBeDefined();
  });

  it('rejects the follow-up an exception waits on with the reason, and it never runs', async () => {
    const response = await act(ids.claim ?? 0, 'reject', { reason: 'the customer found the parcel' });
    expect(response.json()).toMatchObject({ resolution: 'rejected', resolutionNote: 'the customer found the parcel' });
    const record = await world.app.followUps.get(claimId);
    expect(record?.followUp.state).toBe('cancelled');
    expect(record?.audit.at(-1)).toMatchObject({ actor: `manager:${MANAGER}`, event: 'rejected', details: { reason: 'the customer found the parcel' } });
    expect(await world.app.followUps.queue.queue.getJob(claimId)).toBeUndefined();
  });

  it('refuses to approve an exception that waits on no follow-up, or whose follow-up was decided, and leaves it open', async () => {
    expect((await act(ids.dear ?? 0, 'approve')).json()).toMatchObject({ status: 409, type: '/problems/no-follow-up' });
    await world.app.followUps.reject(claimId, 'bob', 'voucher sent');
    expect((await act(ids.claim ?? 0, 'approve')).json()).toMatchObject({ status: 409, type: '/problems/follow-up-state', detail: `follow-up ${claimId} is cancelled: only one awaiting approval can be approved` });
    expect(names((await list()).items)).toContain('claim');
    expect((await act(999_999, 'resolve')).statusCode).toBe(404);
  });

  /** What each action leaves of the claim the exception waits on: its state and its last audit event. */
  const CLAIM_AFTER: Record<string, { state: string; event: string }> = {
    approve: { state: 'proposed', event: 'approved' },
    reject: { state: 'cancelled', event: 'rejected' },
    resolve: { state: 'awaiting_approval', event: 'approval_requested' },
  };

  it.each([
    ['approve', 'reject'],
    ['reject', 'approve'],
    ['resolve', 'approve'],
    ['approve', 'resolve'],
  ])('two managers acting at once (%s, %s): one acts, the other gets a 409 and changes nothing', async (...actions) => {
    const responses = await Promise.all(actions.map((action) => act(ids.claim ?? 0, action, { reason: 'the customer found the parcel' })));
    const winner = actions[responses.findIndex((response) => response.statusCode === 200)] ?? 'none';
    expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 409]);
    expect(responses.find((response) => response.statusCode === 409)?.json()).toMatchObject({ type: '/problems/already-closed' });
    const record = await world.app.followUps.get(claimId);
    expect({ state: record?.followUp.state, event: record?.audit.at(-1)?.event }).toEqual(CLAIM_AFTER[winner]);
    expect(record?.audit.filter((entry) => entry.actor.startsWith('manager:'))).toHaveLength(winner === 'resolve' ? 0 : 1);
    expect(Boolean(await world.app.followUps.queue.queue.getJob(claimId))).toBe(winner === 'approve');
  });

  it('gives back open an exception whose action was refused, for another action to close it', async () => {
    expect((await act(ids.claim ?? 0, 'reject')).statusCode).toBe(400);
    expect((await act(ids.portal ?? 0, 'retry')).statusCode).toBe(409);
    expect(names((await list()).items)).toEqual(expect.arrayContaining(['claim', 'portal']));
    expect((await act(ids.claim ?? 0, 'reject', { reason: 'voucher sent' })).json()).toMatchObject({ resolution: 'rejected', resolutionNote: 'voucher sent' });
    expect((await act(ids.portal ?? 0, 'resolve')).json()).toMatchObject({ resolution: 'resolved' });
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
    expect(await world.app.queues.queue('laposte', 'background').count()).toBe(2);
  });

  it('shows one exception with its evidence', async () => {
    const store = await world.app.store();
    await store.exceptions.open({ carrier: 'relay-portal', trackingNumber: 'RP3182746507', code: 'PORTAL_LAYOUT_CHANGED', message: 'search box missing', evidence: { step: 'search', html: '<p>x</p>', screenshot: 'iVBORw0KGgo=' }, jobId: 'job-evidence', openedAt: world.clock.now() });
    const [row] = await world.db.query<{ id: number }>(`select id from exceptions where job_id = 'job-evidence'`);
    const response = await world.server.inject({ method: 'GET', url: `/api/exceptions/${row?.id}`, headers: world.bearer('manager') });
    expect(response.json()).toMatchObject({ code: 'PORTAL_LAYOUT_CHANGED', evidence: { step: 'search', html: '<p>x</p>', screenshot: 'iVBORw0KGgo=' } });
  });
});
