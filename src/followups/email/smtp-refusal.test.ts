import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, decisionOf, jobOutcome, startFollowUpWorld, storedShipment } from '../../../fixtures/testing/follow-ups.ts';
import type { TestWorld } from '../../testing/test-app.ts';

// Found by the chaos run: a temporary SMTP refusal (451, greylisting) left the e-mail's effect
// `started`, so the next attempt could not tell it from a crash after the send and failed the
// follow-up with EFFECT_UNCERTAIN. A server that replied with a refusal did not take the message.

describe('an e-mail the SMTP server refuses for now', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await startFollowUpWorld();
  });
  afterEach(async () => world.close());

  it('is sent at the next attempt, once', async () => {
    const parcel = await storedShipment(await world.app.store(), world.clock.now(), { customerEmail: 'camille.martin@example.com' });
    world.fixtures.smtp.refuseNext({ code: 451, message: 'Greylisted, try again later' });
    const { followUp } = await world.app.followUps.propose(parcel, decisionOf('customer_email', { params: { template: 'delay_apology' } }));
    const worker = world.app.startFollowUpWorker(1);
    try {
      expect(await jobOutcome(world.app, followUp.id)).toEqual({ completed: expect.objectContaining({ state: 'done' }) });
    } finally {
      await worker.close();
    }
    expect(world.fixtures.smtp.messages()).toHaveLength(1);
    expect(await auditEvents(world.app, followUp.id)).toEqual([
      'proposed',
      'approved_automatically',
      'started',
      'effect_started',
      'effect_refused',
      'attempt_failed',
      'resumed',
      'effect_started',
      'effect_done',
      'done',
    ]);
  });
});
