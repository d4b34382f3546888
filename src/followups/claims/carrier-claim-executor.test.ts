import { afterAll, describe, expect, it } from 'vitest';
import { TEST_ADDRESSES } from '../../../fixtures/colissimo/testing.ts';
import { numberFor } from '../../../fixtures/laposte/testing.ts';
import { callThroughLedger, executorContextOf, followUpOf, storedShipment } from '../../../fixtures/testing/follow-up-context.ts';
import { jobOutcome } from '../../../fixtures/testing/follow-ups.ts';
import { readPdf } from '../../../fixtures/testing/pdf-text.ts';
import { rejectionOf } from '../../../fixtures/testing/robot-errors.ts';
import type { Shipment } from '../../domain/shipment.ts';
import { startTestWorld } from '../../testing/test-app.ts';
import { FollowUpDeferral } from '../follow-up-errors.ts';
import { createStoreDocumentSink } from '../store-document-sink.ts';
import { createCarrierClaimExecutor, FILE_CLAIM_TASK } from './carrier-claim-executor.ts';
import { loadClaimWindows } from './claim-windows.ts';
import { closingWithin } from './closing-windows.ts';

/** A Colissimo parcel with no scan for ten days (La Poste simulator, `stale`), promised a week ago. */
const world = await startTestWorld({ now: '2026-03-10T09:00:00+01:00' });
const store = await world.app.store();
const documents = createStoreDocumentSink(world.app.store, world.clock);
const executor = createCarrierClaimExecutor({ documents, windows: await loadClaimWindows() });
afterAll(async () => {
  await world.close();
});

const number = numberFor('stale');
const imported = await storedShipment(world, {
  trackingNumber: number,
  carrier: 'laposte',
  orderRef: 'CMD-3001',
  channel: 'web',
  customerEmail: 'camille.martin@example.com',
  customerAddress: TEST_ADDRESSES.customerParis,
  customerLang: 'fr',
  declaredValue: 89.9,
  currency: 'EUR',
  destinationCountry: 'FR',
  promisedFrom: '2026-03-03',
  promisedTo: '2026-03-03',
});
// What the robots read: the timeline, then a failed look-up whose carrier answer is kept as evidence.
const laposte = world.app.robot('laposte');
const [outcome] = await laposte.track!([number]);
if (outcome?.kind !== 'found') throw new Error(`the La Poste simulator should know ${number}`);
await store.tracking.recordSnapshot(outcome.snapshot, world.clock.now());
world.fixtures.laposte.setFaults({ fault: 'wrong-shape', times: 1 });
const [unreadable] = await laposte.track!([number]);
if (unreadable?.kind !== 'failed') throw new Error(`an answer of the wrong shape should fail ${number}, not be ${unreadable?.kind}`);
const failure = unreadable.error;
await store.exceptions.open({ carrier: 'laposte', trackingNumber: number, code: failure.code, message: failure.message, evidence: failure.evidence, jobId: 'track:test-1', openedAt: world.clock.now() });
const shipment = (await store.shipments.find('laposte', imported.trackingNumber))!;

const params = { type: 'lost', verdict: 'lost_suspected', reason: 'no scan for 10 days after the promise' };
/** The parcel's loss claim, made by the first test: a parcel has one open claim, so the next tests run it again. */
const claimFollowUp = await followUpOf(world, 'carrier_claim', shipment, params);

describe('a carrier whose robot cannot file claims (La Poste)', () => {
  it('prepares the evidence pack and leaves the claim to an agent: where to file and by when', async () => {
    const followUp = claimFollowUp;
    const effects = callThroughLedger();
    const result = await executor.execute(followUp, await executorContextOf(world, shipment, effects));

    const claim = await store.claims.findByFollowUp(followUp.id);
    expect(claim).toMatchObject({
      carrier: 'laposte',
      trackingNumber: number,
      type: 'lost',
      filedVia: 'agent',
      status: 'to_file',
      amountClaimed: 89.9,
      currency: 'EUR',
      // 21 calendar days after the promise, closing at midnight Paris time.
      windowClosesAt: '2026-03-24T23:00:00.000Z',
    });
    expect(claim?.reference).toBeUndefined();
    expect(result).toEqual({
      summary: 'Prepared the evidence pack for a lost claim with laposte; an agent files it by 2026-03-24 (end of day, Europe/Paris)',
      references: { claimId: String(claim?.id), evidenceDocumentId: claim?.evidenceDocumentId },
    });
    // Nothing outside parcelbot was acted on.
    expect(effects.calls).toEqual([]);

    const tasks = (await store.exceptions.listOpen()).filter((exception) => exception.code === FILE_CLAIM_TASK);
    expect(tasks).toEqual([
      expect.objectContaining({
        jobId: `followup:${followUp.id}`,
        trackingNumber: number,
        message: `File a lost claim for parcel ${number} with laposte by 2026-03-24 (end of day, Europe/Paris), at laposte.fr claim form, or Colissimo Box for business accounts (no public claims API); claim 89.90 EUR (laposte's cap of 23.00 EUR per kg not applied: parcelbot does not know the parcel's weight; laposte applies it from the weight it recorded); attach the evidence pack claim-evidence-${number}-lost.pdf (document ${claim?.evidenceDocumentId}); claim #${claim?.id}`,
      }),
    ]);
  });

  it('writes an evidence pack with the promise, the verdict, the timeline and the carrier answers, without the customer', async () => {
    const followUp = claimFollowUp;
    const { references } = await executor.execute(followUp, await executorContextOf(world, shipment));
    const kept = await documents.read(references!.evidenceDocumentId!);
    expect(kept).toMatchObject({ fileName: `claim-evidence-${number}-lost.pdf`, contentType: 'application/pdf' });
    const { pdf, text } = await readPdf(kept!.bytes);
    expect(pdf.getTitle()).toBe(`Claim evidence ${number} (lost)`);
    for (const expected of [
      `Carrier claim evidence: parcel ${number}`,
      'Amount claimed: 89.90 EUR',
      "Compensation cap: laposte's cap of 23.00 EUR per kg not applied: parcelbot does not know the parcel's weight",
      'Cap source: Colissimo terms (third-party sources) - without ad valorem insurance, compensation up to 23 EUR per kg',
      'File by: 2026-03-24 (end of day)',
      'Verdict: lost_suspected',
      'Reason: no scan for 10 days after the promise',
      'Order: CMD-3001',
      'Promised to the customer: 2026-03-03',
      'Tracking timeline (4 events, newest first)',
      'ET1',
      'CARRIER_BAD_PAYLOAD',
      'Status now: in_transit',
      `{"lang":"fr_FR","scope":"open","returnCode":200,"shipment":{"idShip":"${number}"`,
    ]) {
      expect(text.replace(/\n/g, ' ')).toContain(expected);
    }
    expect(text).not.toMatch(/camille|Martin|Écoles|75005/i);
  });

  it('running the follow-up again keeps one claim and one task', async () => {
    const followUp = claimFollowUp;
    const first = await executor.execute(followUp, await executorContextOf(world, shipment));
    const again = await executor.execute(followUp, await executorContextOf(world, shipment));
    expect(again.references).toEqual(first.references);
    expect((await store.exceptions.listOpen()).filter((exception) => exception.jobId === `followup:${followUp.id}`)).toHaveLength(1);
  });

  it('shows the claims to file whose window closes within the alert days, soonest first', async () => {
    const toFile = await store.claims.listToFile();
    expect(toFile.length).toBeGreaterThan(0);
    expect(closingWithin(toFile, world.clock.now(), 2)).toEqual([]);
    expect(closingWithin(toFile, new Date('2026-03-23T09:00:00Z'), 2).map((claim) => claim.trackingNumber)).toEqual(toFile.map(() => number));
  });

  it.each([
    [{ type: 'stolen' }, /type: expected one of lost, late, damaged/],
    [{ type: 'lost', amount: 0 }, /amount: expected an amount above 0/],
  ])('refuses parameters %j as FOLLOW_UP_PARAMS_INVALID', async (bad, message) => {
    const error = await rejectionOf(executor.execute(await followUpOf(world, 'carrier_claim', shipment, bad), await executorContextOf(world, shipment)));
    expect(error).toMatchObject({ code: 'FOLLOW_UP_PARAMS_INVALID', message: expect.stringMatching(message) });
  });
});

/** Another parcel of the same kind, with its own promise: what the tests below claim for. */
async function laposteParcel(trackingNumber: string, promisedTo: string) {
  return storedShipment(world, { trackingNumber, carrier: 'laposte', orderRef: `CMD-${trackingNumber.slice(-4)}`, channel: 'web', customerLang: 'fr', declaredValue: 59.9, currency: 'EUR', destinationCountry: 'FR', promisedTo });
}

describe('claim windows and one claim per parcel', () => {
  it('files nothing once the window has closed: the follow-up fails into a manager case saying when it closed', async () => {
    // Promised on 1 February: a loss claim with La Poste could be filed until 22 February (21 days).
    const parcel = await laposteParcel(numberFor('in-transit-late'), '2026-02-01');
    const { followUp } = await world.app.followUps.propose(parcel, { ruleId: 'claim-lost', action: 'carrier_claim', params: { type: 'lost' }, reason: 'The parcel looks lost' });
    const worker = world.app.startFollowUpWorker(1);
    try {
      expect(await jobOutcome(world.app, followUp.id)).toEqual({ failed: expect.stringContaining('FOLLOW_UP_INVALID') });
    } finally {
      await worker.close();
    }

    expect(await store.claims.findByFollowUp(followUp.id)).toBeUndefined();
    const record = await world.app.followUps.get(followUp.id);
    expect(record?.followUp).toMatchObject({ state: 'failed', lastError: { code: 'FOLLOW_UP_INVALID' } });
    expect(record?.audit.at(-1)).toMatchObject({ event: 'failed', details: { code: 'FOLLOW_UP_INVALID', message: expect.stringContaining('closed on 2026-02-22') } });
    expect(record?.effects).toEqual([]);
    const cases = (await store.exceptions.listOpen()).filter((exception) => exception.trackingNumber === parcel.trackingNumber);
    expect(cases).toEqual([
      expect.objectContaining({
        code: 'FOLLOW_UP_INVALID',
        jobId: followUp.id,
        evidence: expect.objectContaining({ step: 'claim window', body: expect.stringContaining('"lastDay":"2026-02-22"') }),
        message: `carrier claim failed: the lost claim window for parcel ${parcel.trackingNumber} with laposte closed on 2026-02-22 (end of day, Europe/Paris): no claim was filed; a manager decides whether to ask the carrier anyway (window: shortest notice window for loss seen among carriers (21 days, US carriers; sources range to 9 months))`,
      }),
    ]);
    // No task asks an agent to file it "by 2026-02-22", two weeks late.
    expect(cases.map((exception) => exception.code)).not.toContain(FILE_CLAIM_TASK);
  });

  it('a loss claim supersedes the late-delivery claim not started yet, then stands alone: a later one files nothing', async () => {
    const parcel = await laposteParcel(numberFor('delivered-late'), '2026-03-04');
    const late = await followUpOf(world, 'carrier_claim', parcel, { type: 'late' });
    await store.followUps.transition(late.id, { from: ['running'], to: 'proposed', audit: { actor: 'system', event: 'test' } }, world.clock.now());
    const lost = await followUpOf(world, 'carrier_claim', parcel, { type: 'lost' });

    const result = await executor.execute(lost, await executorContextOf(world, parcel));
    expect(result.summary).toMatch(new RegExp(`^Prepared the evidence pack for a lost claim with laposte; .*; superseded the late-delivery claim follow-up ${late.id}$`));
    expect(await store.followUps.get(late.id)).toMatchObject({ state: 'cancelled' });
    expect((await store.followUps.audit(late.id)).at(-1)).toMatchObject({ actor: 'system', event: 'superseded', details: { by: lost.id } });

    // A claim of the parcel is open (to file by an agent): another one files nothing, and says why.
    const again = await followUpOf(world, 'carrier_claim', parcel, { type: 'late', reason: 'proposed again' });
    const lostClaim = await store.claims.findByFollowUp(lost.id);
    expect(await executor.execute(again, await executorContextOf(world, parcel))).toEqual({
      summary: `No late claim filed with laposte: the lost claim #${lostClaim!.id} (to be filed by an agent) is already open for parcel ${parcel.trackingNumber}, and a parcel has one open claim with its carrier at a time`,
      references: { openClaimId: String(lostClaim!.id) },
    });
    expect((await store.claims.listForShipment(parcel.id)).map((claim) => [claim.type, claim.status])).toEqual([['lost', 'to_file']]);
    expect((await store.exceptions.listOpen()).filter((exception) => exception.trackingNumber === parcel.trackingNumber && exception.code === FILE_CLAIM_TASK)).toHaveLength(1);
  });

  it('files no loss claim for a parcel delivered since the claim was decided', async () => {
    const parcel = await laposteParcel(numberFor('delivered'), '2026-03-04');
    const delivered = { ...parcel, status: 'delivered' as const, deliveredAt: '2026-03-09T11:00:00+01:00' };
    const lost = await followUpOf(world, 'carrier_claim', delivered, { type: 'lost', reason: 'decided before the delivery' });
    expect(await executor.execute(lost, await executorContextOf(world, delivered))).toEqual({
      summary: `No lost claim filed with laposte: parcel ${parcel.trackingNumber} has been delivered since the claim was decided`,
    });
    expect(await store.claims.findByFollowUp(lost.id)).toBeUndefined();
  });

  it('runs a follow-up that got as far as its claim to the end even once the window has closed: the same claim, no case', async () => {
    const before = await executor.execute(claimFollowUp, await executorContextOf(world, shipment));
    // The first test's loss claim window closed at the end of 24 March.
    world.clock.set('2026-03-26T09:00:00+01:00');
    try {
      const after = await executor.execute(claimFollowUp, await executorContextOf(world, shipment));
      expect(after.references?.claimId).toBe(before.references?.claimId);
      expect((await store.claims.listForShipment(shipment.id)).map((claim) => claim.followUpId)).toEqual([claimFollowUp.id]);
    } finally {
      world.clock.set('2026-03-10T09:00:00+01:00');
    }
  });
});

describe('the amount claimed: the declared value, at most the carrier\'s cap', () => {
  it('asks a 400 EUR Chronopost parcel\'s 250 EUR cap, and the task and evidence pack say why', async () => {
    const parcel = await storedShipment(world, { trackingNumber: numberFor('chronopost-in-transit'), carrier: 'laposte', orderRef: 'CMD-3050', customerLang: 'fr', declaredValue: 400, currency: 'EUR', destinationCountry: 'FR', promisedTo: '2026-03-04' });
    const [read] = await laposte.track!([parcel.trackingNumber]);
    if (read?.kind !== 'found') throw new Error(`the La Poste simulator should know ${parcel.trackingNumber}`);
    await store.tracking.recordSnapshot(read.snapshot, world.clock.now());
    const tracked = (await store.shipments.find('laposte', parcel.trackingNumber))!;
    expect(tracked.product).toBe('chronopost');

    const followUp = await followUpOf(world, 'carrier_claim', tracked, { type: 'lost' });
    await executor.execute(followUp, await executorContextOf(world, tracked));
    const claim = await store.claims.findByFollowUp(followUp.id);
    expect(claim).toMatchObject({ amountClaimed: 250, currency: 'EUR', status: 'to_file' });
    const capped = "250.00 EUR (the declared value of 400.00 EUR capped at laposte's cap of 250.00 EUR per parcel)";
    const [task] = (await store.exceptions.listOpen()).filter((exception) => exception.jobId === `followup:${followUp.id}`);
    expect(task?.message).toContain(`; claim ${capped}; attach the evidence pack`);
    const { text } = await readPdf((await documents.read(claim!.evidenceDocumentId!))!.bytes);
    for (const expected of [
      'Amount claimed: 250.00 EUR',
      "Compensation cap: the declared value of 400.00 EUR capped at laposte's cap of 250.00 EUR per parcel",
      'Cap source: Chronopost terms (third-party sources) - without ad valorem insurance, compensation up to 250 EUR per parcel',
      'Declared value: 400.00 EUR',
    ]) {
      expect(text.replace(/\n/g, ' ')).toContain(expected);
    }
  });
});

describe('a damage claim before the parcel is delivered: its window counts from the delivery', () => {
  const damagedClaim = async (parcel: Shipment) => executor.execute(await followUpOf(world, 'carrier_claim', parcel, { type: 'damaged', reason: `damaged, ${parcel.status}` }), await executorContextOf(world, parcel));

  it('waits for the delivery (put off until the next day, nothing prepared), then is filed with its window dated from it', async () => {
    const parcel = await laposteParcel(numberFor('late-then-delivered'), '2026-03-05');
    const reported = { ...parcel, status: 'damaged' as const, verdict: 'late' as const };
    const documentsBefore = (await store.db.query('select count(*)::int as n from documents'))[0]?.n;
    const deferral: unknown = await damagedClaim(reported).catch((error: unknown) => error);
    expect(deferral).toBeInstanceOf(FollowUpDeferral);
    expect(deferral).toMatchObject({
      until: new Date('2026-03-10T23:00:00.000Z'),
      why: `the damaged claim window for parcel ${parcel.trackingNumber} with laposte counts from the delivery, and the parcel is not delivered yet (damaged): checked again on 2026-03-11 (Europe/Paris); Code de commerce art. L133-3 (France) - a reasoned protest within 3 days after receipt, public holidays not counted; a bare "sous réserve" is not enough`,
    });
    expect(await store.claims.listForShipment(parcel.id)).toEqual([]);
    expect((await store.db.query('select count(*)::int as n from documents'))[0]?.n).toBe(documentsBefore);

    // Delivered on Friday 6 March: Saturday, Monday and Tuesday count, Sunday does not.
    await damagedClaim({ ...reported, status: 'delivered', deliveredAt: '2026-03-06T15:00:00+01:00' });
    expect((await store.claims.listForShipment(parcel.id)).map(({ type, status, windowClosesAt }) => ({ type, status, windowClosesAt }))).toEqual([
      { type: 'damaged', status: 'to_file', windowClosesAt: '2026-03-10T23:00:00.000Z' },
    ]);
  });

  it.each([
    ['going back to the sender', { status: 'return_to_sender' }, 'is going back to the sender'],
    ['declared lost', { status: 'lost' }, 'was declared lost by its carrier'],
    ['no scan for too long', { status: 'damaged', verdict: 'lost_suspected' }, 'looks lost (no scan for longer than its carrier allows)'],
  ] as const)('files nothing for a parcel that will not be delivered (%s): a manager decides', async (_case, change, why) => {
    const parcel = await laposteParcel(numberFor('returned'), '2026-03-06');
    const error = await rejectionOf(damagedClaim({ ...parcel, ...change }));
    expect(error).toMatchObject({
      code: 'FOLLOW_UP_INVALID',
      message: expect.stringMatching(
        new RegExp(`^no damaged claim filed for parcel ${parcel.trackingNumber} with laposte: its window counts from the delivery, and the parcel ${why.replace(/[()]/g, '\\$&')}; a manager decides whether to claim for loss, or for the damage on the carrier's own report \\(window: Code de commerce`),
      ),
      evidence: { step: 'claim window' },
    });
    expect(await store.claims.listForShipment(parcel.id)).toEqual([]);
  });
});
