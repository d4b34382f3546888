import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decisionOf, jobOutcome, startFollowUpWorld, storedShipment } from '../../fixtures/testing/follow-ups.ts';
import type { Shipment, ShipmentInput } from '../domain/shipment.ts';
import type { TestWorld } from '../testing/test-app.ts';
import type { FollowUpDecision } from './follow-ups.ts';
import { startReshipment } from './reshipment-guard.ts';

/** What a reshipping rule decides: the reshipment, and the "reshipped" e-mail waiting for it. */
const reshipping = (ruleId: string, reason: string): FollowUpDecision[] => [
  decisionOf('reshipment', { ruleId, params: { reason } }),
  decisionOf('customer_email', { ruleId, params: { template: 'reshipped', after: 'reshipment' } }),
];

/**
 * One replacement order per customer order (reshipment-guard.ts): a reshipping rule reworded, or
 * a second rule that reships, makes other follow-ups for the same parcel; they are cancelled with
 * the reason, and the OMS is asked once.
 */
describe('one reshipment per order', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await startFollowUpWorld();
  });
  afterEach(async () => world.close());

  const store = () => world.app.store();
  const parcel = async (overrides: Partial<ShipmentInput> = {}) => storedShipment(await store(), world.clock.now(), { customerEmail: 'camille.martin@example.com', ...overrides });
  const propose = (shipment: Shipment, decisions: FollowUpDecision[]) => world.app.followUps.proposeAll(decisions.map((decision) => ({ shipment, decision })));
  /** Runs the queue until these follow-ups' jobs are finished; their states (or failures), in order. */
  async function run(...ids: string[]) {
    const worker = world.app.startFollowUpWorker(2);
    try {
      const outcomes = await Promise.all(ids.map((id) => jobOutcome(world.app, id)));
      return outcomes.map((outcome) => ('completed' in outcome ? (outcome.completed as { state: string }).state : outcome.failed));
    } finally {
      await worker.close();
    }
  }
  const followUp = async (id: string) => (await world.app.followUps.get(id))!;
  /** A parcel reshipped by a rule, and its replacement parcel shipped by the OMS. */
  async function reshippedOnce() {
    const original = await parcel();
    const [first] = await propose(original, reshipping('not-delivered-reship', 'not_delivered'));
    expect(await run(first!.followUp.id)).toEqual(['done']);
    const s = await store();
    const [order] = await s.reshipments.waiting();
    const replacement = await s.reshipments.ship(order!, { carrier: 'laposte', trackingNumber: '6A99999999990', omsStatus: 'shipped' }, world.clock.now());
    expect(replacement).toMatchObject({ reshipmentOf: original.id, orderRef: order!.orderRef });
    return { s, original, first: first!, replacement };
  }

  it('a rule reworded, then a second rule: one replacement order and one e-mail; the others are cancelled naming the first', async () => {
    const late = await parcel();
    const [first, firstEmail] = await propose(late, reshipping('not-delivered-reship', 'not_delivered'));
    expect(await run(first!.followUp.id)).toEqual(['done']);
    expect(await run(firstEmail!.followUp.id)).toEqual(['done']);
    const made = await followUp(first!.followUp.id);

    world.clock.advance(86_400_000);
    const [reworded] = await propose(late, reshipping('not-delivered-reship', 'late'));
    const [lost, lostEmail] = await propose(late, reshipping('lost-reship', 'lost'));
    expect(reworded!.created && lost!.created).toBe(true);
    expect(await run(reworded!.followUp.id, lost!.followUp.id)).toEqual(['cancelled', 'cancelled']);

    expect(world.fixtures.oms.stats()).toMatchObject({ reshipmentsCreated: 1, byRoute: { 'POST /reshipments': 1 } });
    expect(world.fixtures.smtp.messages()).toHaveLength(1);
    for (const { followUp: cancelled } of [reworded!, lost!]) {
      const { audit, effects } = await followUp(cancelled.id);
      expect(effects).toEqual([]);
      expect(audit.at(-1)).toMatchObject({
        actor: 'system',
        event: 'cancelled_already_reshipped',
        toState: 'cancelled',
        details: {
          reason: `already reshipped by ${first!.followUp.id} on ${made.followUp.updatedAt.slice(0, 10)}`,
          orderRef: 'WEB-107436',
          managerCase: false,
          reshipment: first!.followUp.id,
          reshipmentState: 'done',
          summary: made.followUp.result?.summary,
        },
      });
    }
    expect((await followUp(lostEmail!.followUp.id)).audit.at(-1)).toMatchObject({ event: 'cancelled_with_prerequisite', details: { prerequisite: lost!.followUp.id } });
    // A duplicate of the same parcel is not a case for a manager.
    expect((await (await store()).exceptions.listOpen()).filter((open) => open.code === 'MANAGER_CASE')).toEqual([]);
  });

  it('the replacement parcel lost too: no second replacement order on its own, a manager case; another order is reshipped', async () => {
    const { s, original, first, replacement } = await reshippedOnce();
    const otherOrder = await parcel({ trackingNumber: '6A77777777770', orderRef: 'WEB-200000' });

    const [again] = await propose(replacement, reshipping('not-delivered-reship', 'not_delivered'));
    const [other] = await propose(otherOrder, reshipping('not-delivered-reship', 'not_delivered'));
    expect(await run(again!.followUp.id, other!.followUp.id)).toEqual(['cancelled', 'done']);

    expect(world.fixtures.oms.stats().byRoute['POST /reshipments']).toBe(2);
    const reason = `already reshipped by ${first.followUp.id} on ${world.clock.now().toISOString().slice(0, 10)} (another parcel of the order); a manager decides whether parcel 6A99999999990 is replaced again or refunded`;
    expect((await followUp(again!.followUp.id)).audit.at(-1)).toMatchObject({ event: 'cancelled_already_reshipped', details: { reason, managerCase: true, reshipmentShipmentId: original.id } });
    expect((await s.exceptions.listOpen()).filter((open) => open.code === 'MANAGER_CASE')).toEqual([
      expect.objectContaining({ trackingNumber: '6A99999999990', jobId: again!.followUp.id, message: `reshipment not made: ${reason}` }),
    ]);
  });

  it('opens the manager case in the transaction that cancels: a case that cannot be stored leaves the reshipment proposed, for the next start', async () => {
    const { s, replacement } = await reshippedOnce();
    const [again] = await propose(replacement, [decisionOf('reshipment', { ruleId: 'not-delivered-reship' })]);
    const cases = async () => (await s.exceptions.listOpen()).filter((open) => open.code === 'MANAGER_CASE');

    // The store refuses the case, as a crash between the two writes would lose it.
    await s.db.exec(`alter table exceptions add constraint refuse_cases check (code <> 'MANAGER_CASE')`);
    await expect(startReshipment(s, again!.followUp, replacement, 1, world.clock.now())).rejects.toThrow();
    expect((await followUp(again!.followUp.id)).followUp.state).toBe('proposed');
    await s.db.exec('alter table exceptions drop constraint refuse_cases');

    expect((await startReshipment(s, again!.followUp, replacement, 2, world.clock.now()))?.state).toBe('cancelled');
    expect(await cases()).toEqual([expect.objectContaining({ trackingNumber: '6A99999999990', jobId: again!.followUp.id })]);
  });

  it('a reshipment the OMS refused does not block the next one; one whose answer was lost does', async () => {
    world.fixtures.oms.setFaults({ fault: 'refused', times: 1 });
    const late = await parcel();
    const [refused] = await propose(late, reshipping('not-delivered-reship', 'not_delivered'));
    expect(await run(refused!.followUp.id)).toEqual([expect.stringMatching(/^CARRIER_BAD_REQUEST: /)]);
    const [next] = await propose(late, reshipping('lost-reship', 'lost'));
    expect(await run(next!.followUp.id)).toEqual(['done']);

    world.fixtures.oms.setFaults({ fault: 'invalid-json', times: 1 });
    const other = await parcel({ trackingNumber: '6A77777777770', orderRef: 'WEB-200000' });
    const [uncertain] = await propose(other, reshipping('not-delivered-reship', 'not_delivered'));
    expect(await run(uncertain!.followUp.id)).toEqual([expect.stringMatching(/^CARRIER_BAD_PAYLOAD: /)]);
    const [after] = await propose(other, reshipping('lost-reship', 'lost'));
    expect(await run(after!.followUp.id)).toEqual(['cancelled']);
    expect((await followUp(after!.followUp.id)).audit.at(-1)?.details?.reason).toMatch(
      new RegExp(`^already possibly reshipped by ${uncertain!.followUp.id}: it failed on \\d{4}-\\d\\d-\\d\\d after asking oms to reship; check order WEB-200000 by hand$`),
    );
    expect(world.fixtures.oms.stats().reshipmentsCreated).toBe(2);
  });

  it('reshipments of one order started at the same time: one runs, the others are cancelled', async () => {
    const s = await store();
    const orders = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => parcel({ trackingNumber: `6A1000000000${n}`, orderRef: `WEB-30000${n}` })));
    const rules = ['not-delivered-reship', 'lost-reship', 'returned-reship'];
    const proposals = await world.app.followUps.proposeAll(orders.flatMap((shipment) => rules.map((ruleId) => ({ shipment, decision: decisionOf('reshipment', { ruleId }) }))));
    // On PostgreSQL, each start on a connection of its own: they run at the same time.
    const started = await Promise.all(proposals.map(({ followUp }) => startReshipment(s, followUp, orders.find((order) => order.id === followUp.shipmentId)!, 1, world.clock.now())));
    for (const order of orders) {
      const states = started.filter((one) => one?.shipmentId === order.id).map((one) => one?.state);
      expect(states.sort()).toEqual(['cancelled', 'cancelled', 'running']);
    }
  });
});
