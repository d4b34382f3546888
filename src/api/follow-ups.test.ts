import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionOf, storedShipment } from '../../fixtures/testing/follow-ups.ts';
import { numberFor } from '../../fixtures/laposte/testing.ts';
import type { Shipment } from '../domain/shipment.ts';
import type { StoredFollowUp } from '../store/follow-up-repository.ts';
import { keyFingerprint } from './api-keys.ts';
import { type ApiWorld, TEST_KEYS, startApiWorld } from './testing/api-world.ts';

const MANAGER = `manager:${keyFingerprint(TEST_KEYS.manager)}`;

/** Follow-ups proposed through the real runtime (app.followUps), decided over the API; the store and the queue checked after. */
describe('follow-ups over the API', () => {
  let world: ApiWorld;
  let dear: Shipment;
  let cheap: Shipment;
  const proposed: Record<'reship' | 'refund' | 'email' | 'small', StoredFollowUp> = {} as never;
  beforeAll(async () => {
    world = await startApiWorld({ env: { FOLLOWUP_APPROVAL_ABOVE: '100' } });
    const store = await world.app.store();
    dear = await storedShipment(store, world.clock.now(), { declaredValue: 300 });
    cheap = await storedShipment(store, world.clock.now(), { trackingNumber: numberFor('problem'), orderRef: 'WEB-2', declaredValue: 40 });
    const propose = async (shipment: Shipment, decision: ReturnType<typeof decisionOf>) => (await world.app.followUps.propose(shipment, decision)).followUp;
    proposed.reship = await propose(dear, decisionOf('reshipment', { params: { reason: 'not_delivered' } }));
    proposed.refund = await propose(dear, decisionOf('refund', { params: { reason: 'not_delivered' } }));
    proposed.email = await propose(dear, decisionOf('customer_email', { params: { template: 'reshipped' } }));
    proposed.small = await propose(cheap, decisionOf('refund', { params: { reason: 'not_delivered' } }));
  });
  afterAll(async () => world?.close());

  const call = (method: 'GET' | 'POST', url: string, payload?: object) => world.server.inject({ method, url, headers: world.bearer('manager'), payload });
  const idsOf = async (query: string) => (await call('GET', `/api/followups?${query}`)).json().items.map((item: { id: string }) => item.id).sort();

  it('lists follow-ups by state, kind and shipment, with their parcel', async () => {
    expect(proposed.reship.state).toBe('awaiting_approval');
    expect(await idsOf('state=awaiting_approval')).toEqual([proposed.reship.id, proposed.refund.id].sort());
    expect(await idsOf('kind=refund')).toEqual([proposed.refund.id, proposed.small.id].sort());
    expect(await idsOf(`shipmentId=${cheap.id}`)).toEqual([proposed.small.id]);
    expect(await idsOf('kind=refund&state=proposed')).toEqual([proposed.small.id]);
    expect(await idsOf('state=proposed')).toEqual([proposed.email.id, proposed.small.id].sort());
    const [item] = (await call('GET', `/api/followups?shipmentId=${cheap.id}`)).json().items;
    expect(item).toMatchObject({ kind: 'refund', trackingNumber: numberFor('problem'), carrier: 'laposte', valueAtStake: 40, currency: 'EUR', approvalRequired: false });
    expect((await call('GET', '/api/followups?kind=pigeon')).json()).toMatchObject({ status: 400, errors: [{ field: 'query.kind' }] });
  });

  it('pages like the exception queue: `limit` and `offset`, with the `total` that match', async () => {
    const page = async (offset: number) => (await call('GET', `/api/followups?limit=3&offset=${offset}`)).json();
    const [first, rest] = [await page(0), await page(3)];
    expect([first.total, first.items.length, rest.total, rest.items.length]).toEqual([4, 3, 4, 1]);
    expect([...first.items, ...rest.items].map((item: { id: string }) => item.id).sort()).toEqual(Object.values(proposed).map((followUp) => followUp.id).sort());
    expect(await page(10)).toEqual({ total: 4, items: [] });
    expect((await call('GET', '/api/followups?offset=-1')).json()).toMatchObject({ status: 400, errors: [{ field: 'query.offset' }] });
  });

  it('approves one awaiting approval: queued to run when due, the manager named in its audit trail; a second approval is a 409', async () => {
    const response = await call('POST', `/api/followups/${proposed.reship.id}/approve`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: proposed.reship.id, state: 'proposed' });
    expect((await (await world.app.store()).followUps.get(proposed.reship.id))?.state).toBe('proposed');
    expect(await world.app.followUps.queue.queue.getJob(proposed.reship.id)).toBeDefined();

    const record = (await call('GET', `/api/followups/${proposed.reship.id}`)).json();
    expect(record.audit.map(({ actor, event }: { actor: string; event: string }) => `${actor} ${event}`)).toEqual([
      'rule:late-reshipment proposed',
      'system approval_requested',
      `${MANAGER} approved`,
    ]);
    expect(record.effects).toEqual([]);

    const again = await call('POST', `/api/followups/${proposed.reship.id}/approve`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ type: '/problems/follow-up-state', detail: `follow-up ${proposed.reship.id} is proposed: only one awaiting approval can be approved` });
  });

  it('rejects only with a reason, which its audit trail keeps; it is cancelled and never queued', async () => {
    expect((await call('POST', `/api/followups/${proposed.refund.id}/reject`, {})).json()).toMatchObject({ status: 400, errors: [{ field: 'reason' }] });
    expect((await world.app.followUps.get(proposed.refund.id))?.followUp.state).toBe('awaiting_approval');
    const response = await call('POST', `/api/followups/${proposed.refund.id}/reject`, { reason: 'the customer got a voucher' });
    expect(response.json()).toMatchObject({ state: 'cancelled' });
    const record = await world.app.followUps.get(proposed.refund.id);
    expect(record?.audit.at(-1)).toMatchObject({ actor: MANAGER, event: 'rejected', toState: 'cancelled', details: { reason: 'the customer got a voucher' } });
    expect(await world.app.followUps.queue.queue.getJob(proposed.refund.id)).toBeUndefined();
  });

  it('answers 404 for a follow-up it does not have', async () => {
    expect((await call('POST', '/api/followups/fu-0-refund-0000000000000000/approve')).json()).toMatchObject({ status: 404, detail: 'no follow-up fu-0-refund-0000000000000000' });
    expect((await call('GET', '/api/followups/nope')).statusCode).toBe(404);
  });
});
