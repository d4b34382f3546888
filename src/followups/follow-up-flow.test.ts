import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, decisionOf, jobOutcome, startFollowUpWorld, storedShipment } from '../../fixtures/testing/follow-ups.ts';
import type { TestWorld } from '../testing/test-app.ts';
import { FollowUpStateError, UnknownFollowUpError } from './follow-up-errors.ts';

/** Follow-ups through BullMQ on real Redis, the store, the follow-up worker and the OMS simulator. */
describe('follow-ups end to end', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await startFollowUpWorld();
  });
  afterEach(async () => world.close());

  const store = () => world.app.store();
  const shipment = async (overrides = {}) => storedShipment(await store(), world.clock.now(), overrides);
  /** Runs the queue until the follow-up's job is finished. */
  async function run(id: string) {
    const worker = world.app.startFollowUpWorker(1);
    try {
      return await jobOutcome(world.app, id);
    } finally {
      await worker.close();
    }
  }

  it('proposes, runs and records a reshipment: one OMS order, kept, and an audit trail of every step', async () => {
    const parcel = await shipment();
    const { followUp, created } = await world.app.followUps.propose(parcel, decisionOf('reshipment'));
    expect(created).toBe(true);
    expect(followUp).toMatchObject({ state: 'proposed', kind: 'reshipment', ruleId: 'late-reshipment', valueAtStake: 49.9, currency: 'EUR', approvalRequired: false });

    expect(await run(followUp.id)).toEqual({ completed: expect.objectContaining({ state: 'done' }) });
    const record = await world.app.followUps.get(followUp.id);
    expect(record?.followUp).toMatchObject({ state: 'done', result: { summary: 'replacement order RS-100001 made in the OMS for order WEB-107436', references: { orderRef: 'RS-100001' } } });
    expect(record?.audit.map(({ actor, event, fromState, toState }) => [actor, event, fromState ?? null, toState])).toEqual([
      ['rule:late-reshipment', 'proposed', null, 'proposed'],
      ['system', 'approved_automatically', 'proposed', 'proposed'],
      ['worker', 'started', 'proposed', 'running'],
      ['worker', 'effect_started', 'running', 'running'],
      ['worker', 'effect_done', 'running', 'running'],
      ['worker', 'done', 'running', 'done'],
    ]);
    expect(record?.audit[1]?.details).toEqual({ why: '49.90 EUR is within the approval threshold of 100' });
    expect(record?.effects).toEqual([expect.objectContaining({ key: `${followUp.id}-oms-reshipment`, target: 'oms', state: 'done', response: { orderRef: 'RS-100001', status: 'created' } })]);

    const [made] = world.fixtures.oms.reshipments();
    expect(made?.request).toEqual({
      originalOrderRef: 'WEB-107436',
      originalTrackingNumber: parcel.trackingNumber,
      carrier: 'laposte',
      reason: 'Not delivered the business day after the promise',
      idempotencyKey: `${followUp.id}-oms-reshipment`,
    });
    expect(world.fixtures.oms.stats()).toMatchObject({ reshipmentsCreated: 1, byRoute: { 'POST /reshipments': 1 } });
    expect(await (await store()).reshipments.forFollowUp(followUp.id)).toMatchObject({ orderRef: 'RS-100001', originalShipmentId: parcel.id, state: 'ordered' });
  });

  it('makes one follow-up, one job and one effect of the same decision proposed again and again', async () => {
    const parcel = await shipment();
    // The same rule's decision from two sweeps, its parameters written in another order.
    const first = await world.app.followUps.propose(parcel, decisionOf('refund', { params: { amount: 20, note: 'a' } }));
    const second = await world.app.followUps.propose(parcel, decisionOf('refund', { params: { note: 'a', amount: 20 } }));
    expect(second).toMatchObject({ created: false, followUp: { id: first.followUp.id } });
    await run(first.followUp.id);
    const third = await world.app.followUps.propose(parcel, decisionOf('refund', { params: { amount: 20, note: 'a' } }));
    expect(third).toMatchObject({ created: false, followUp: { state: 'done' } });

    expect(await world.app.followUps.list({ shipmentId: parcel.id })).toHaveLength(1);
    expect(world.fixtures.oms.stats()).toMatchObject({ refundsCreated: 1, byRoute: { 'POST /refunds': 1 } });
    expect(await auditEvents(world.app, first.followUp.id)).toEqual(['proposed', 'approved_automatically', 'started', 'effect_started', 'effect_done', 'done']);
  });

  it('refuses a check decision: it is a delayed track job, not a follow-up', async () => {
    const check = { ruleId: 'check-next-day', action: 'check', params: {}, reason: 'Check delivery the next business day' } as const;
    await expect(world.app.followUps.propose(await shipment(), check as never)).rejects.toThrow('a "check" decision is not a follow-up: schedule a track job for it');
    expect(await world.app.followUps.list()).toEqual([]);
  });

  it('waits for a manager above the threshold: approved, it runs; rejected, it never does', async () => {
    const dear = await shipment({ declaredValue: 249 });
    const { followUp } = await world.app.followUps.propose(dear, decisionOf('reshipment'));
    expect(followUp).toMatchObject({ state: 'awaiting_approval', approvalRequired: true });
    expect(await world.app.followUps.queue.queue.getJob(followUp.id)).toBeUndefined();

    await world.app.followUps.approve(followUp.id, 'alice');
    expect(await run(followUp.id)).toMatchObject({ completed: { state: 'done' } });
    const trail = (await world.app.followUps.get(followUp.id))?.audit ?? [];
    expect(trail.slice(0, 3).map(({ actor, event, toState }) => [actor, event, toState])).toEqual([
      ['rule:late-reshipment', 'proposed', 'proposed'],
      ['system', 'approval_requested', 'awaiting_approval'],
      ['manager:alice', 'approved', 'proposed'],
    ]);
    await expect(world.app.followUps.approve(followUp.id, 'alice')).rejects.toThrow(FollowUpStateError);
    await expect(world.app.followUps.approve(followUp.id, 'alice')).rejects.toThrow(/is done: only one awaiting approval can be approved/);

    const other = await shipment({ trackingNumber: '6A96277824622', declaredValue: 150 });
    const refused = await world.app.followUps.propose(other, decisionOf('refund'));
    const rejected = await world.app.followUps.reject(refused.followUp.id, 'bob', 'Customer already got a voucher');
    expect(rejected.state).toBe('cancelled');
    expect((await world.app.followUps.get(refused.followUp.id))?.audit.at(-1)).toMatchObject({ actor: 'manager:bob', event: 'rejected', toState: 'cancelled', details: { reason: 'Customer already got a voucher' } });
    await expect(world.app.followUps.approve('fu-1-refund-0000000000000000', 'bob')).rejects.toThrow(UnknownFollowUpError);
    expect(world.fixtures.oms.stats().refundsCreated).toBe(0);
  });

  it('retries a transient OMS fault: asks the OMS by key before the second POST, and makes one order', async () => {
    world.fixtures.oms.setFaults({ fault: 'http-503', times: 1 });
    const { followUp } = await world.app.followUps.propose(await shipment(), decisionOf('reshipment'));
    expect(await run(followUp.id)).toMatchObject({ completed: { state: 'done' } });
    expect(world.fixtures.oms.stats()).toMatchObject({ reshipmentsCreated: 1, byRoute: { 'POST /reshipments': 2, 'GET /reshipments?idempotencyKey': 1 } });
    const record = await world.app.followUps.get(followUp.id);
    expect(record?.audit.map((entry) => entry.event)).toEqual(['proposed', 'approved_automatically', 'started', 'effect_started', 'attempt_failed', 'resumed', 'effect_restarted', 'effect_done', 'done']);
    expect(record?.audit[4]?.details).toMatchObject({ code: 'CARRIER_UNAVAILABLE', retry: 'with backoff' });
    expect((await world.db.query('select count(*)::int as n from exceptions'))[0]).toEqual({ n: 0 });
  });

  it('waits for Retry-After on a 429 without using up an attempt', async () => {
    await world.close();
    world = await startFollowUpWorld({ FOLLOWUP_ATTEMPTS: '1' });
    world.fixtures.oms.setFaults({ fault: 'rate-limited', times: 2, retryAfterSeconds: 0 });
    const { followUp } = await world.app.followUps.propose(await shipment(), decisionOf('refund'));
    expect(await run(followUp.id)).toMatchObject({ completed: { state: 'done' } });
    expect(world.fixtures.oms.stats()).toMatchObject({ refundsCreated: 1, byStatus: { 429: 2, 201: 1 } });
  });

  it.each([
    ['refused', 'CARRIER_BAD_REQUEST', 'failed', { status: 422, body: '{"error":"the order cannot be changed: it is closed"}' }],
    ['invalid-json', 'CARRIER_BAD_PAYLOAD', 'started', { status: 201 }],
  ] as const)('a final fault (%s) fails the follow-up at once into an exception with the evidence', async (fault, code, effectState, evidence) => {
    world.fixtures.oms.setFaults({ fault });
    const { followUp } = await world.app.followUps.propose(await shipment(), decisionOf('reshipment'));
    expect(await run(followUp.id)).toEqual({ failed: expect.stringMatching(new RegExp(`^${code}: `)) });
    expect(world.fixtures.oms.stats().byRoute['POST /reshipments']).toBe(1);
    const record = await world.app.followUps.get(followUp.id);
    expect(record?.followUp).toMatchObject({ state: 'failed', lastError: { code } });
    expect(record?.effects[0]?.state).toBe(effectState);
    expect(record?.audit.at(-1)).toMatchObject({ event: 'failed', toState: 'failed', details: { code, evidence: { request: { method: 'POST', url: expect.stringMatching(/\/oms\/reshipments$/) }, ...evidence } } });
    const exceptions = await world.db.query('select code, message, evidence, followup_id, job_id, tracking_number from exceptions');
    expect(exceptions).toEqual([
      expect.objectContaining({ code, followup_id: followUp.id, job_id: followUp.id, message: expect.stringMatching(/^reshipment failed: the OMS /), evidence: expect.objectContaining(evidence) }),
    ]);
    expect(JSON.stringify(exceptions)).not.toContain(world.env.OMS_API_KEY);
  });

  it('does not run a follow-up before it is due, even taken up early, and runs it once due', async () => {
    const due = new Date(world.clock.now().getTime() + 2 * 3_600_000).toISOString();
    const { followUp } = await world.app.followUps.propose(await shipment(), decisionOf('manager_case', { at: due }));
    const job = await world.app.followUps.queue.queue.getJob(followUp.id);
    expect(await job?.getState()).toBe('delayed');
    expect(job?.opts.delay).toBe(2 * 3_600_000);

    const worker = world.app.startFollowUpWorker(1);
    try {
      // Taken up before its time (promoted by hand): the worker puts it back, untouched.
      await job?.promote();
      await expect.poll(async () => (await world.app.followUps.queue.queue.getJob(followUp.id))?.processedOn, { timeout: 10_000 }).toBeDefined();
      await expect.poll(async () => world.app.followUps.queue.queue.getJob(followUp.id).then((again) => again?.getState()), { timeout: 10_000 }).toBe('delayed');
      expect(await auditEvents(world.app, followUp.id)).toEqual(['proposed', 'approved_automatically']);

      world.clock.advance(2 * 3_600_000);
      await (await world.app.followUps.queue.queue.getJob(followUp.id))?.promote();
      expect(await jobOutcome(world.app, followUp.id)).toMatchObject({ completed: { state: 'done' } });
    } finally {
      await worker.close();
    }
  });

  it('opens a manager case once: an exception with the rule reason and parameters', async () => {
    const parcel = await shipment();
    const decision = decisionOf('manager_case', { ruleId: 'too-many-contacts', params: { contacts: 3, target: 2 }, reason: 'The customer called 3 times (target 2)' });
    const { followUp } = await world.app.followUps.propose(parcel, decision);
    await run(followUp.id);
    await world.app.followUps.propose(parcel, decision);
    expect(await world.db.query('select code, message, evidence, followup_id from exceptions')).toEqual([
      { code: 'MANAGER_CASE', message: 'The customer called 3 times (target 2)', evidence: { step: 'rule too-many-contacts', body: '{"contacts":3,"target":2}' }, followup_id: followUp.id },
    ]);
  });

  it('refunds a marketplace order through its robot, the follow-up id in the reason', async () => {
    const parcel = await shipment({ channel: 'seller-portal', orderRef: 'SP-10045' });
    const { followUp } = await world.app.followUps.propose(parcel, decisionOf('refund', { params: { amount: 12.5 } }));
    expect(await run(followUp.id)).toMatchObject({ completed: { state: 'done' } });
    expect((await world.app.followUps.get(followUp.id))?.followUp.result).toEqual({
      summary: 'refunded 12.50 EUR on order SP-10045 through seller-portal (RF-80001)',
      references: { refundRef: 'RF-80001', orderRef: 'SP-10045' },
    });
    expect(world.fixtures['seller-portal'].stats().refunds).toEqual({ accepted: 1, refused: 0 });
    expect(world.fixtures.oms.stats().totalCalls).toBe(0);
  });

  it('finds a marketplace refund a stopped worker had made, instead of refunding twice', async () => {
    const parcel = await shipment({ channel: 'seller-portal', orderRef: 'SP-10045' });
    const { followUp } = await world.app.followUps.propose(parcel, decisionOf('refund', { params: { amount: 12.5 } }));
    // What a worker killed after the portal's answer leaves: the effect started, the refund made.
    const key = `${followUp.id}-seller-portal-refund`;
    await (await store()).effects.claim({ key, followUpId: followUp.id, target: 'seller-portal' }, world.clock.now());
    const reason = `${followUp.reason} [parcelbot ${followUp.id}]`;
    await world.app.robot('seller-portal').refund?.({ orderRef: 'SP-10045', amount: 12.5, currency: 'EUR', reason });

    expect(await run(followUp.id)).toMatchObject({ completed: { state: 'done' } });
    expect(world.fixtures['seller-portal'].stats().refunds).toEqual({ accepted: 1, refused: 0 });
    expect((await world.app.followUps.get(followUp.id))?.audit.filter((entry) => entry.event.startsWith('effect_')).map((entry) => [entry.event, entry.details?.by])).toEqual([
      ['effect_done', 'reconcile'],
    ]);
  });
});
