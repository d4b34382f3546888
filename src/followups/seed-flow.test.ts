import { afterAll, describe, expect, it } from 'vitest';
import { TEST_ADDRESSES } from '../../fixtures/colissimo/testing.ts';
import { numberFor } from '../../fixtures/laposte/testing.ts';
import { delayedJobIds, promoteDelayed, settle } from '../../fixtures/testing/queue-clock.ts';
import { runFollowUpChecks } from '../schedule/follow-up-checks.ts';
import { startSweep } from '../jobs/sweep-session.ts';
import { startTestWorld } from '../testing/test-app.ts';

/**
 * The reference flow of the seed article (Rue du Commerce, seed 001), end to end through the real
 * queues, workers, store, rules and simulators, on a clock the test moves day by day:
 * 1. a customer asks where the parcel is: the agent gets a status-specific answer, and a check is
 *    scheduled for the business day after the promise;
 * 2. the check finds it not delivered: a replacement is shipped, the customer is e-mailed, a claim
 *    is prepared for the carrier;
 * 3. the customer keeps calling: above the target of contacts, a manager gets the case;
 * 4. both the original and the replacement are delivered: the customer gets a return label.
 * Every follow-up, e-mail and label happens exactly once, however often the parcels are swept.
 */
const { merchantLyon, customerParis } = TEST_ADDRESSES;
const world = await startTestWorld({
  now: '2026-03-10T09:00:00+01:00',
  env: {
    MERCHANT_RETURN_NAME: merchantLyon.name,
    MERCHANT_RETURN_LINE1: merchantLyon.line1,
    MERCHANT_RETURN_POSTCODE: merchantLyon.postcode,
    MERCHANT_RETURN_CITY: merchantLyon.city,
    FOLLOWUP_BACKOFF_MS: '20',
  },
});
const { app, clock, fixtures } = world;
const store = await app.store();
const trackWorkers = app.startWorkers(['laposte'], 4);
const followUpWorker = app.startFollowUpWorker(2);
afterAll(async () => {
  await trackWorkers.close();
  await followUpWorker.close();
  await world.close();
});

const ORIGINAL = numberFor('late-then-delivered');
fixtures.oms.configure({ shipAfterMinutes: 120 });
await store.shipments.upsertMany(
  [
    {
      trackingNumber: ORIGINAL,
      carrier: 'laposte',
      orderRef: 'WEB-2026-0310',
      channel: 'web',
      customerEmail: 'camille.martin@example.com',
      customerAddress: customerParis,
      customerLang: 'fr',
      declaredValue: 64.9,
      currency: 'EUR',
      destinationCountry: 'FR',
      promisedFrom: '2026-03-11',
      promisedTo: '2026-03-11',
    },
  ],
  clock.now(),
);

async function agentLooksUp(at: string) {
  clock.set(at);
  const events = await app.queues.queueEvents('laposte', 'agents');
  const job = await app.queues.addAgentLookup('laposte', ORIGINAL, 'agent-7');
  const { results } = await job.waitUntilFinished(events, 30_000);
  await settle(app);
  return results[0]!;
}

async function moveTo(at: string) {
  clock.set(at);
  await promoteDelayed(app);
  await settle(app);
}

async function followUps() {
  return (await app.followUps.list({})).map((followUp) => ({ kind: followUp.kind, rule: followUp.ruleId, state: followUp.state, params: followUp.params })).sort((a, b) => a.rule.localeCompare(b.rule) || a.kind.localeCompare(b.kind));
}

describe('the seed flow, end to end on a moving clock', () => {
  it('1. Tuesday: the agent gets a status-specific answer and a check is scheduled the business day after the promise', async () => {
    const result = await agentLooksUp('2026-03-10T09:00:00+01:00');
    expect(result).toMatchObject({ outcome: 'found', status: 'in_transit' });
    expect(result.answer?.answer.fr).toContain("en cours d'acheminement");
    expect(result.answer?.verdict).toMatchObject({ verdict: 'on_time', promisedBy: '2026-03-11' });
    // Promised Wednesday: checked Thursday 09:00 Paris time.
    expect(await delayedJobIds(app)).toEqual([`check-laposte-${ORIGINAL}-${Date.parse('2026-03-12T09:00:00+01:00')}`]);
    expect(await followUps()).toEqual([]);
  });

  it('2. Thursday: the check finds it not delivered: reship, e-mail the customer, prepare a claim — once each', async () => {
    await moveTo('2026-03-12T09:00:00+01:00');
    expect(await followUps()).toEqual([
      { kind: 'carrier_claim', rule: 'claim-late', state: 'done', params: { type: 'late' } },
      { kind: 'customer_email', rule: 'not-delivered-reship', state: 'done', params: { template: 'reshipped', after: 'reshipment' } },
      { kind: 'reshipment', rule: 'not-delivered-reship', state: 'done', params: { reason: 'not_delivered' } },
    ]);
    expect(fixtures.oms.stats()).toMatchObject({ reshipmentsCreated: 1 });
    const [mail, ...others] = fixtures.smtp.messages();
    expect(others).toEqual([]);
    expect(mail).toMatchObject({ envelope: { to: ['camille.martin@example.com'] }, subject: expect.stringContaining('WEB-2026-0310') });
    // La Poste has no claim robot: the claim waits for an agent, with its evidence pack.
    const [claim] = await store.claims.listToFile();
    expect(claim).toMatchObject({ carrier: 'laposte', trackingNumber: ORIGINAL, type: 'late', status: 'to_file' });
    expect((await store.exceptions.listOpen()).map((exception) => exception.code)).toEqual(['TASK_FILE_CLAIM']);
  });

  it('3. the replacement ships; the customer calls twice more: above two contacts, a manager takes the case', async () => {
    clock.set('2026-03-12T14:00:00+01:00');
    const { reshipments } = await runFollowUpChecks(app);
    expect(reshipments.shipped).toHaveLength(1);
    const [replacement] = await store.shipments.list().then((all) => all.filter((shipment) => shipment.reshipmentOf !== undefined));
    expect(replacement).toMatchObject({ carrier: 'laposte', orderRef: expect.stringMatching(/^RS-/) });
    // The replacement is handed to La Poste now: its timeline starts at this time.
    fixtures.laposte.addParcel(replacement!.trackingNumber, 'progresses-to-delivery');

    await agentLooksUp('2026-03-12T15:00:00+01:00');
    await agentLooksUp('2026-03-13T10:00:00+01:00');
    const cases = (await followUps()).filter((followUp) => followUp.kind === 'manager_case');
    expect(cases).toEqual([{ kind: 'manager_case', rule: 'contacts-above-target', state: 'done', params: { reason: 'contacts_above_target' } }]);
  });

  it('4. Saturday: both parcels delivered: one return label, made and e-mailed once', async () => {
    await moveTo('2026-03-14T12:00:00+01:00');
    const sweep = await startSweep(app, { trigger: 'manual' });
    expect(sweep).toMatchObject({ state: 'done', failed: 0 });
    await settle(app);
    const original = await store.shipments.find('laposte', ORIGINAL);
    expect(original).toMatchObject({ status: 'delivered', verdict: 'delivered_twice' });
    const labels = (await followUps()).filter((followUp) => followUp.kind === 'return_label');
    expect(labels).toEqual([{ kind: 'return_label', rule: 'delivered-twice-return-label', state: 'done', params: { reason: 'delivered_twice' } }]);
    expect(fixtures.colissimo.labels()).toHaveLength(1);
    const mails = fixtures.smtp.messages();
    expect(mails).toHaveLength(2);
    expect(mails[1]?.attachments.map((attachment) => attachment.contentType)).toEqual(['application/pdf']);
  });

  it('5. sweeps, checks and look-ups again: nothing is done twice', async () => {
    const before = { followUps: await followUps(), oms: fixtures.oms.stats(), mails: fixtures.smtp.messages().length };
    await moveTo('2026-03-16T09:00:00+01:00');
    await startSweep(app, { trigger: 'manual' });
    await runFollowUpChecks(app);
    await agentLooksUp('2026-03-16T10:00:00+01:00');
    await moveTo('2026-03-17T09:00:00+01:00');
    await startSweep(app, { trigger: 'manual' });
    await settle(app);
    expect(await followUps()).toEqual(before.followUps);
    expect(fixtures.oms.stats()).toMatchObject({ reshipmentsCreated: before.oms.reshipmentsCreated });
    expect(fixtures.colissimo.labels()).toHaveLength(1);
    expect(fixtures.smtp.messages()).toHaveLength(before.mails);
    const counts = await store.db.query<{ kind: string; n: number }>('select kind, count(*)::integer as n from followups group by kind order by kind');
    expect(counts).toEqual([
      { kind: 'carrier_claim', n: 1 },
      { kind: 'customer_email', n: 1 },
      { kind: 'manager_case', n: 1 },
      { kind: 'reshipment', n: 1 },
      { kind: 'return_label', n: 1 },
    ]);
  });
});
