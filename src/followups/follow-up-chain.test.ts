import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, decisionOf, jobOutcome, startFollowUpWorld, storedShipment } from '../../fixtures/testing/follow-ups.ts';
import type { TestWorld } from '../testing/test-app.ts';

/**
 * A follow-up that waits for another (`after: <kind>`): the customer hears of a replacement once
 * it is ordered, never while a manager may still turn it down.
 */
describe('follow-ups that wait for another', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await startFollowUpWorld();
  });
  afterEach(async () => world.close());

  /** A 490 EUR order: its reshipment waits for a manager (above FOLLOWUP_APPROVAL_ABOVE), its e-mail for the reshipment. */
  async function proposeReshipmentAndEmail() {
    const parcel = await storedShipment(await world.app.store(), world.clock.now(), { declaredValue: 490, customerEmail: 'camille.martin@example.com' });
    const reship = await world.app.followUps.propose(parcel, decisionOf('reshipment', { ruleId: 'not-delivered-reship' }));
    const email = await world.app.followUps.propose(parcel, decisionOf('customer_email', { ruleId: 'not-delivered-reship', params: { template: 'reshipped', after: 'reshipment' } }));
    return { reship: reship.followUp, email: email.followUp };
  }

  it('sends the e-mail only once the reshipment a manager approved is done', async () => {
    const { reship, email } = await proposeReshipmentAndEmail();
    expect(reship.state).toBe('awaiting_approval');
    expect(await world.app.followUps.queue.queue.getJob(email.id)).toBeUndefined();
    expect(await auditEvents(world.app, email.id)).toEqual(['proposed', 'approved_automatically', 'waiting_for']);

    const worker = world.app.startFollowUpWorker(2);
    try {
      await world.app.followUps.approve(reship.id, 'marie');
      expect(await jobOutcome(world.app, reship.id)).toEqual({ completed: expect.objectContaining({ state: 'done' }) });
      expect(await jobOutcome(world.app, email.id)).toEqual({ completed: expect.objectContaining({ state: 'done' }) });
    } finally {
      await worker.close();
    }
    expect(world.fixtures.smtp.messages()).toHaveLength(1);
    // Proposing the same decisions again (the next sweep) changes nothing.
    await proposeReshipmentAndEmail();
    expect(world.fixtures.oms.stats().reshipmentsCreated).toBe(1);
  });

  it('cancels the e-mail when the manager turns the reshipment down', async () => {
    const { reship, email } = await proposeReshipmentAndEmail();
    await world.app.followUps.reject(reship.id, 'marie', 'the customer asked for a refund instead');
    const record = await world.app.followUps.get(email.id);
    expect(record?.followUp.state).toBe('cancelled');
    expect(record?.audit.at(-1)).toMatchObject({ actor: 'system', event: 'cancelled_with_prerequisite', details: { after: 'reshipment', prerequisite: reship.id, state: 'cancelled' } });
    expect(world.fixtures.smtp.messages()).toEqual([]);
  });
});
