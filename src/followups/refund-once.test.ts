import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, decisionOf, jobOutcome, startFollowUpWorld, storedShipment } from '../../fixtures/testing/follow-ups.ts';
import { DEFAULT_THRESHOLDS, scan, shipmentFixture } from '../../fixtures/rules/testing.ts';
import type { ShipmentInput } from '../domain/shipment.ts';
import { judgeShipment } from '../rules/judge-shipment.ts';
import { loadRules } from '../rules/load-rules.ts';
import type { TestWorld } from '../testing/test-app.ts';
import { type FollowUpDecision, isFollowUpDecision } from './follow-ups.ts';
import { startRefund } from './refund-guard.ts';

const rules = await loadRules(undefined, DEFAULT_THRESHOLDS);

/** What the default rules decide for a 24.90 EUR order: late after its promise, then returned to sender. */
function decided(step: 'late' | 'returned'): FollowUpDecision[] {
  const moving = [scan('2026-05-19T08:10:00+02:00', 'picked_up'), scan('2026-05-21T06:40:00+02:00')];
  const record =
    step === 'late'
      ? { shipment: shipmentFixture({ declaredValue: 24.9 }), events: [...moving].reverse(), at: '2026-05-27T09:00:00+02:00' }
      : {
          shipment: shipmentFixture({ declaredValue: 24.9, status: 'return_to_sender' }),
          events: [...moving, scan('2026-05-28T10:00:00+02:00', 'return_to_sender')].reverse(),
          at: '2026-05-28T22:00:00+02:00',
        };
  const { decisions } = judgeShipment(rules, { ...record, contacts: { count: 1, firstAt: '2026-05-20T08:00:00.000Z' }, reshipments: [] }, 'check', new Date(record.at));
  return decisions.filter(isFollowUpDecision);
}

/**
 * An order is refunded at most once (refund-guard.ts): two rules deciding a refund each for one
 * order make one refund and one "refunded" e-mail; the other refund is cancelled with the reason.
 */
describe('one refund per order', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await startFollowUpWorld();
  });
  afterEach(async () => world.close());

  const store = () => world.app.store();
  const parcel = async (overrides: Partial<ShipmentInput> = {}) =>
    storedShipment(await store(), world.clock.now(), { declaredValue: 24.9, customerEmail: 'camille.martin@example.com', ...overrides });
  /** Runs the queue until these follow-ups' jobs are finished; their outcomes, in order. */
  async function run(...ids: string[]) {
    const worker = world.app.startFollowUpWorker(2);
    try {
      return await Promise.all(ids.map((id) => jobOutcome(world.app, id)));
    } finally {
      await worker.close();
    }
  }
  const followUp = async (id: string) => (await world.app.followUps.get(id))!;

  it('late, then returned to sender: refunded and e-mailed once; the second refund and its e-mail are cancelled with the reason', async () => {
    const small = await parcel();
    const late = decided('late');
    expect(late.map(({ ruleId, action }) => [ruleId, action])).toEqual([
      ['not-delivered-refund', 'refund'],
      ['not-delivered-refund', 'customer_email'],
    ]);
    const [lateRefund, lateEmail] = await world.app.followUps.proposeAll(late.map((decision) => ({ shipment: small, decision })));
    // The e-mail is queued once the refund is done.
    expect(await run(lateRefund!.followUp.id)).toEqual([{ completed: expect.objectContaining({ state: 'done' }) }]);
    expect(await run(lateEmail!.followUp.id)).toEqual([{ completed: expect.objectContaining({ state: 'done' }) }]);
    const refunded = await followUp(lateRefund!.followUp.id);

    world.clock.advance(2 * 86_400_000);
    const returned = decided('returned');
    expect(returned.map(({ ruleId, action }) => [ruleId, action])).toEqual([
      ['returned-refund', 'refund'],
      ['returned-refund', 'customer_email'],
    ]);
    const [returnedRefund, returnedEmail] = await world.app.followUps.proposeAll(returned.map((decision) => ({ shipment: small, decision })));
    // Another rule, other params: another follow-up, both within AUTO_REFUND_MAX and the approval threshold.
    expect(returnedRefund!).toMatchObject({ created: true, followUp: { state: 'proposed', approvalRequired: false } });
    expect(returnedRefund!.followUp.id).not.toBe(lateRefund!.followUp.id);
    expect(await run(returnedRefund!.followUp.id)).toEqual([{ completed: expect.objectContaining({ state: 'cancelled' }) }]);

    expect(world.fixtures.oms.stats().refundsCreated).toBe(1);
    expect(world.fixtures.smtp.messages()).toHaveLength(1);
    const second = await followUp(returnedRefund!.followUp.id);
    expect(second.followUp.state).toBe('cancelled');
    expect(second.effects).toEqual([]);
    expect(second.audit.map(({ actor, event, fromState, toState }) => [actor, event, fromState ?? null, toState])).toEqual([
      ['rule:returned-refund', 'proposed', null, 'proposed'],
      ['system', 'approved_automatically', 'proposed', 'proposed'],
      ['system', 'cancelled_already_refunded', 'proposed', 'cancelled'],
    ]);
    expect(second.audit.at(-1)?.details).toMatchObject({
      reason: `already refunded by ${lateRefund!.followUp.id} on ${refunded.followUp.updatedAt.slice(0, 10)}`,
      refund: lateRefund!.followUp.id,
      refundState: 'done',
      orderRef: 'WEB-107436',
      summary: refunded.followUp.result?.summary,
    });
    const email = await followUp(returnedEmail!.followUp.id);
    expect(email.followUp.state).toBe('cancelled');
    expect(email.audit.at(-1)).toMatchObject({ event: 'cancelled_with_prerequisite', details: { after: 'refund', prerequisite: returnedRefund!.followUp.id, state: 'cancelled' } });

    // The next sweep decides both again: nothing new.
    await world.app.followUps.proposeAll([...late, ...returned].map((decision) => ({ shipment: small, decision })));
    expect(world.fixtures.oms.stats().refundsCreated).toBe(1);
    expect(world.fixtures.smtp.messages()).toHaveLength(1);
  });

  it('a refund retried after a transient fault is not blocked by itself: it reconciles and refunds once', async () => {
    world.fixtures.oms.setFaults({ fault: 'http-503', times: 1 });
    const { followUp: refund } = await world.app.followUps.propose(await parcel(), decisionOf('refund'));
    expect(await run(refund.id)).toEqual([{ completed: expect.objectContaining({ state: 'done' }) }]);
    expect(await auditEvents(world.app, refund.id)).toEqual(['proposed', 'approved_automatically', 'started', 'effect_started', 'attempt_failed', 'resumed', 'effect_restarted', 'effect_done', 'done']);
    expect(world.fixtures.oms.stats()).toMatchObject({ refundsCreated: 1, byRoute: { 'POST /refunds': 2, 'GET /refunds?idempotencyKey': 1 } });
  });

  it('a refund a stopped worker left running goes on and is found again; another of the order started meanwhile is cancelled', async () => {
    const small = await parcel({ channel: 'seller-portal', orderRef: 'SP-10045' });
    const { followUp: first } = await world.app.followUps.propose(small, decisionOf('refund', { ruleId: 'not-delivered-refund', params: { reason: 'not_delivered' } }));
    // What a worker killed after the portal's answer leaves: the refund started, its effect started, the refund made.
    const s = await store();
    expect(await startRefund(s, first, small, 1, world.clock.now())).toMatchObject({ state: 'running' });
    await s.effects.claim({ key: `${first.id}-seller-portal-refund`, followUpId: first.id, target: 'seller-portal' }, world.clock.now());
    await world.app.robot('seller-portal').refund?.({ orderRef: 'SP-10045', amount: 24.9, currency: 'EUR', reason: `${first.reason} [parcelbot ${first.id}]` });

    const { followUp: second } = await world.app.followUps.propose(small, decisionOf('refund', { ruleId: 'returned-refund', params: { reason: 'returned_to_sender' } }));
    const [firstRun, secondRun] = await run(first.id, second.id);
    expect(firstRun).toEqual({ completed: expect.objectContaining({ state: 'done' }) });
    expect(secondRun).toEqual({ completed: expect.objectContaining({ state: 'cancelled' }) });
    expect(world.fixtures['seller-portal'].stats().refunds).toEqual({ accepted: 1, refused: 0 });
    expect(await auditEvents(world.app, first.id)).toEqual(['proposed', 'approved_automatically', 'started', 'resumed', 'effect_done', 'done']);
    expect((await followUp(second.id)).audit.at(-1)?.details?.reason).toMatch(new RegExp(`^already (being )?refunded by ${first.id} `));
  });

  it('refunds of one order started at the same time: one runs, the others are cancelled', async () => {
    const s = await store();
    const orders = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => parcel({ trackingNumber: `6A1000000000${n}`, orderRef: `WEB-30000${n}` })));
    const rules = ['not-delivered-refund', 'returned-refund', 'lost-refund'];
    const proposals = await world.app.followUps.proposeAll(orders.flatMap((shipment) => rules.map((ruleId) => ({ shipment, decision: decisionOf('refund', { ruleId }) }))));
    // On PostgreSQL, each start on a connection of its own: they run at the same time.
    const started = await Promise.all(proposals.map(({ followUp }) => startRefund(s, followUp, orders.find((order) => order.id === followUp.shipmentId)!, 1, world.clock.now())));
    for (const order of orders) {
      const states = started.filter((one) => one?.shipmentId === order.id).map((one) => one?.state);
      expect(states.sort()).toEqual(['cancelled', 'cancelled', 'running']);
    }
  });

  it('the reshipment of an order and another parcel of it are not refunded once the order is; another order is', async () => {
    const original = await parcel();
    const { followUp: refund } = await world.app.followUps.propose(original, decisionOf('refund'));
    expect(await run(refund.id)).toEqual([{ completed: expect.objectContaining({ state: 'done' }) }]);

    const s = await store();
    const order = await s.reshipments.recordOrder({ followUpId: refund.id, originalShipmentId: original.id, orderRef: 'RS-900001', omsStatus: 'created' }, world.clock.now());
    const replacement = await s.reshipments.ship(order, { carrier: 'laposte', trackingNumber: '6A99999999990', omsStatus: 'shipped' }, world.clock.now());
    expect(replacement).toMatchObject({ reshipmentOf: original.id, orderRef: 'RS-900001' });
    const sameOrder = await parcel({ trackingNumber: '6A88888888880' });
    const otherOrder = await parcel({ trackingNumber: '6A77777777770', orderRef: 'WEB-200000' });
    const later = [replacement, sameOrder, otherOrder].map((shipment) => ({ shipment, decision: decisionOf('refund', { ruleId: 'returned-refund' }) }));
    const proposals = await world.app.followUps.proposeAll(later);
    const outcomes = await run(...proposals.map(({ followUp }) => followUp.id));
    expect(outcomes.map((outcome) => ('completed' in outcome ? (outcome.completed as { state: string }).state : outcome.failed))).toEqual(['cancelled', 'cancelled', 'done']);
    for (const { followUp: cancelled } of proposals.slice(0, 2)) {
      expect((await followUp(cancelled.id)).audit.at(-1)?.details).toMatchObject({ refund: refund.id, refundState: 'done' });
    }
    expect(world.fixtures.oms.stats().refundsCreated).toBe(2);
  });

  it('a refund the OMS refused does not block the next one; one whose answer was lost does', async () => {
    world.fixtures.oms.setFaults({ fault: 'refused', times: 1 });
    const small = await parcel();
    const { followUp: refused } = await world.app.followUps.propose(small, decisionOf('refund', { ruleId: 'not-delivered-refund' }));
    expect(await run(refused.id)).toEqual([{ failed: expect.stringMatching(/^CARRIER_BAD_REQUEST: /) }]);
    const { followUp: next } = await world.app.followUps.propose(small, decisionOf('refund', { ruleId: 'returned-refund' }));
    expect(await run(next.id)).toEqual([{ completed: expect.objectContaining({ state: 'done' }) }]);
    expect(world.fixtures.oms.stats().refundsCreated).toBe(1);

    world.fixtures.oms.setFaults({ fault: 'invalid-json', times: 1 });
    const other = await parcel({ trackingNumber: '6A77777777770', orderRef: 'WEB-200000' });
    const { followUp: uncertain } = await world.app.followUps.propose(other, decisionOf('refund', { ruleId: 'not-delivered-refund' }));
    expect(await run(uncertain.id)).toEqual([{ failed: expect.stringMatching(/^CARRIER_BAD_PAYLOAD: /) }]);
    const { followUp: after } = await world.app.followUps.propose(other, decisionOf('refund', { ruleId: 'returned-refund' }));
    expect(await run(after.id)).toEqual([{ completed: expect.objectContaining({ state: 'cancelled' }) }]);
    expect((await followUp(after.id)).audit.at(-1)?.details?.reason).toMatch(new RegExp(`^already possibly refunded by ${uncertain.id}: it failed on \\d{4}-\\d\\d-\\d\\d after asking oms to refund; check order WEB-200000 by hand$`));
    expect(world.fixtures.oms.stats().refundsCreated).toBe(2);
  });

  it('never refunds more than the order is worth', async () => {
    const { followUp: refund } = await world.app.followUps.propose(await parcel(), decisionOf('refund', { params: { amount: 30 } }));
    expect(await run(refund.id)).toEqual([{ completed: expect.objectContaining({ state: 'cancelled' }) }]);
    expect((await followUp(refund.id)).audit.at(-1)).toMatchObject({ event: 'cancelled_above_order_value', details: { reason: '30.00 EUR is more than order WEB-107436 is worth (24.90 EUR)' } });
    expect(world.fixtures.oms.stats().refundsCreated).toBe(0);
  });
});
