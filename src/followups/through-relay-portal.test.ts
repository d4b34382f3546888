import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { numberFor, PortalVisitor } from '../../fixtures/relay-portal/testing.ts';
import { DEMO_ACCOUNTS } from '../../fixtures/relay-portal/simulator.ts';
import { callThroughLedger, capturedLogger, executorContextOf, followUpOf, storedShipment } from '../../fixtures/testing/follow-up-context.ts';
import { jobOutcome } from '../../fixtures/testing/follow-ups.ts';
import { delayedJobIds, promoteDelayed, settle } from '../../fixtures/testing/queue-clock.ts';
import type { Shipment } from '../domain/shipment.ts';
import { readPdf } from '../../fixtures/testing/pdf-text.ts';
import { startTestWorld } from '../testing/test-app.ts';
import { createCarrierClaimExecutor } from './claims/carrier-claim-executor.ts';
import { loadClaimWindows } from './claims/claim-windows.ts';
import { refreshClaimStatuses } from './claims/refresh-claim-statuses.ts';
import { createSmtpMailer } from './email/smtp-mailer.ts';
import { createStoreDocumentSink } from './store-document-sink.ts';
import { createReturnLabelExecutor } from './return-label/return-label-executor.ts';

/**
 * The follow-ups a carrier's portal robot carries out, in real headless Chromium against the
 * relay-portal simulator, through the app's own robots, store, Redis sessions and SMTP: slow,
 * so one file.
 */
const world = await startTestWorld({ now: '2026-03-10T09:00:00+01:00' });
const store = await world.app.store();
const portal = world.fixtures['relay-portal'];
const documents = createStoreDocumentSink(world.app.store, world.clock);
const mailer = createSmtpMailer(world.app.config.core);
const claimExecutor = createCarrierClaimExecutor({ documents, windows: await loadClaimWindows() });
const labelExecutor = createReturnLabelExecutor({ mailer, documents, merchant: undefined });
afterEach(() => world.fixtures.smtp.reset());
afterAll(async () => {
  mailer.close();
  await world.close();
});
const DAY_MS = 24 * 3600_000;

const damaged = await storedShipment(world, {
  trackingNumber: numberFor('damaged'),
  carrier: 'relay-portal',
  orderRef: 'CMD-4001',
  customerEmail: 'camille.martin@example.com',
  customerLang: 'fr',
  declaredValue: 74.5,
  currency: 'EUR',
  destinationCountry: 'FR',
  promisedTo: '2026-03-06',
});
const collected = await storedShipment(world, { trackingNumber: numberFor('collected'), carrier: 'relay-portal', orderRef: 'CMD-4002', customerEmail: 'john.smith@example.com', customerLang: 'en', destinationCountry: 'FR' });

describe('through the relay carrier portal', () => {
  it('files a claim with the evidence PDF and stores the portal reference; later sweeps follow its status', async () => {
    // Delivered yesterday: a damage claim's window counts from the delivery (3 days, L133-3).
    const delivered = { ...damaged, status: 'delivered' as const, deliveredAt: '2026-03-09T18:00:00+01:00' };
    const followUp = await followUpOf(world, 'carrier_claim', delivered, { type: 'damaged', verdict: 'delivered_on_time', reason: 'the customer reports a crushed box' });
    const effects = callThroughLedger();
    const result = await claimExecutor.execute(followUp, await executorContextOf(world, delivered, effects));

    // Worth 74.50 EUR, claimed 25 EUR: the relay carrier's flat cap (claim-windows.yaml).
    const amount = "25.00 EUR (the declared value of 74.50 EUR capped at relay-portal's cap of 25.00 EUR per parcel)";
    expect(result).toMatchObject({ summary: `Filed a damaged claim with relay-portal: reference CLM-2026-000001, for ${amount}`, references: { claimReference: 'CLM-2026-000001' } });
    // The portal robot answers the claim already open: the ledger may run it again to reconcile.
    expect(effects.calls).toEqual([{ key: `${followUp.id}:claim`, target: 'relay-portal', reconcile: true, retrySafe: false }]);
    const claim = await store.claims.findByFollowUp(followUp.id);
    expect(claim).toMatchObject({ carrier: 'relay-portal', type: 'damaged', filedVia: 'portal', status: 'submitted', reference: 'CLM-2026-000001', amountClaimed: 25, filedAt: world.clock.now().toISOString() });
    expect(portal.claims()).toEqual([{ reference: 'CLM-2026-000001', trackingNumber: damaged.trackingNumber, type: 'damaged', status: 'submitted' }]);

    // The portal shows the PDF parcelbot kept as evidence, byte for byte.
    const evidence = await documents.read(claim!.evidenceDocumentId!);
    const person = new PortalVisitor(`${world.fixtures.url}/relay-portal`);
    await person.logIn(DEMO_ACCOUNTS.withoutTotp, world.clock.now());
    expect((await person.get('/claims/CLM-2026-000001')).text).toContain(`${evidence!.fileName} (${evidence!.bytes.length} bytes)`);
    const { text } = await readPdf(evidence!.bytes);
    expect(text).toContain(`Carrier claim evidence: parcel ${damaged.trackingNumber}`);
    expect(text.replace(/\n/g, ' ')).toContain("Compensation cap: the declared value of 74.50 EUR capped at relay-portal's cap of 25.00 EUR per parcel");
    // The form states the goods' value; the carrier pays up to its cap.
    expect((await person.get('/claims/CLM-2026-000001')).text).toMatch(/<dt>Declared value<\/dt><dd>74\.50 EUR<\/dd>/);

    // A claim UPS cannot be asked about, followed by hand.
    const ups = await storedShipment(world, { trackingNumber: '1Z999AA10123456784', carrier: 'ups', customerLang: 'fr', destinationCountry: 'FR' });
    await store.claims.record({ followUpId: 'manual-ups', shipmentId: ups.id, carrier: 'ups', trackingNumber: ups.trackingNumber, type: 'late', filedVia: 'agent', status: 'submitted', reference: 'UPS-CASE-1' }, world.clock.now());
    const deps = { store, robot: world.app.robot, clock: world.clock, logger: capturedLogger().logger };
    expect(await refreshClaimStatuses(deps)).toEqual({ asked: 1, changed: [], notListed: [], unsupported: ['ups'], failed: [] });

    world.clock.advance(9 * DAY_MS);
    expect(await refreshClaimStatuses(deps)).toEqual({
      asked: 1,
      changed: [{ claimId: claim!.id, carrier: 'relay-portal', reference: 'CLM-2026-000001', from: 'submitted', to: 'paid', note: '25.00 EUR paid by bank transfer' }],
      notListed: [],
      unsupported: ['ups'],
      failed: [],
    });
    expect(await store.claims.findByFollowUp(followUp.id)).toMatchObject({ status: 'paid', statusNote: '25.00 EUR paid by bank transfer', lastCheckedAt: world.clock.now().toISOString() });
    expect((await store.claims.listOpen()).map((open) => open.carrier)).toEqual(['ups']);
  });

  it("makes the return label with the carrier's own portal robot and e-mails it, needing no addresses", async () => {
    const result = await labelExecutor.execute(await followUpOf(world, 'return_label', collected), await executorContextOf(world, collected));
    expect(result.summary).toBe('Return label RP9000000019 made by relay-portal and e-mailed to the customer');
    expect(world.fixtures.colissimo.stats().totalCalls).toBe(0);
    const [mail] = world.fixtures.smtp.messages();
    expect(mail).toMatchObject({ envelope: { to: ['john.smith@example.com'] }, subject: 'Your return label (order CMD-4002)' });
    expect(mail?.attachments.map(({ filename, contentType }) => ({ filename, contentType }))).toEqual([{ filename: 'return-RP9000000019.pdf', contentType: 'application/pdf' }]);
    expect((await readPdf(mail!.attachments[0]!.content)).pdf.getTitle()).toBe('Return label RP9000000019');
  });
});

/** A relay parcel of the portal's catalog worth 89 EUR (no approval needed), its timeline read by the robot and stored. */
async function trackedRelayParcel(scenario: string, orderRef: string): Promise<Shipment> {
  const parcel = await storedShipment(world, { trackingNumber: numberFor(scenario), carrier: 'relay-portal', orderRef, customerLang: 'fr', declaredValue: 89, currency: 'EUR', destinationCountry: 'FR', promisedTo: '2026-03-06' });
  const [outcome] = await world.app.robot('relay-portal').track!([parcel.trackingNumber]);
  if (outcome?.kind !== 'found') throw new Error(`the relay portal should know ${parcel.trackingNumber}`);
  await store.tracking.recordSnapshot(outcome.snapshot, world.clock.now());
  return parcel;
}
const claimsOf = (parcel: Shipment) => portal.claims().filter((claim) => claim.trackingNumber === parcel.trackingNumber);

describe('claim windows and one claim per parcel, through the relay carrier portal', () => {
  it('puts a loss claim off until its window opens, 10 days after the last scan, then files it that day', async () => {
    world.clock.set('2026-03-10T09:00:00+01:00');
    // Declared lost by the hub on 9 March (LST): the carrier takes a loss claim from 19 March.
    const parcel = await trackedRelayParcel('lost', 'CMD-4003');
    const { followUp } = await world.app.followUps.propose(parcel, { ruleId: 'claim-lost', action: 'carrier_claim', params: { type: 'lost' }, reason: 'The parcel looks lost' });
    const worker = world.app.startFollowUpWorker(1);
    try {
      await settle(world.app);
      expect(await delayedJobIds(world.app)).toContain(followUp.id);
      expect(claimsOf(parcel)).toEqual([]);
      const deferred = await world.app.followUps.get(followUp.id);
      // Back to wait, due at the start of 19 March in Paris, with no effect started.
      expect(deferred?.followUp).toMatchObject({ state: 'proposed', dueAt: '2026-03-18T23:00:00.000Z' });
      expect(deferred?.effects).toEqual([]);
      expect(deferred?.audit.at(-1)).toMatchObject({
        actor: 'worker',
        event: 'deferred',
        fromState: 'running',
        toState: 'proposed',
        details: { until: '2026-03-18T23:00:00.000Z', why: expect.stringContaining('opens on 2026-03-19') },
      });

      // Taken up early (promoted by hand), it waits again; on the opening day it is filed.
      await promoteDelayed(world.app);
      await settle(world.app);
      expect(claimsOf(parcel)).toEqual([]);
      world.clock.set('2026-03-19T09:00:00+01:00');
      await promoteDelayed(world.app);
      expect(await jobOutcome(world.app, followUp.id)).toEqual({ completed: expect.objectContaining({ state: 'done' }) });
    } finally {
      await worker.close();
    }
    expect(claimsOf(parcel)).toEqual([expect.objectContaining({ type: 'lost' })]);
    expect(await store.claims.findByFollowUp(followUp.id)).toMatchObject({ type: 'lost', filedVia: 'portal', filedAt: '2026-03-19T08:00:00.000Z', reference: claimsOf(parcel)[0]!.reference });
    expect((await world.app.followUps.get(followUp.id))?.audit.map((entry) => entry.event)).toEqual([
      'proposed',
      'approved_automatically',
      'started',
      'deferred',
      'started',
      'effect_started',
      'effect_done',
      'done',
    ]);
  });

  it('files one claim for a parcel first late then lost: the loss claim finds the late one open and files nothing', async () => {
    world.clock.set('2026-03-10T09:00:00+01:00');
    const parcel = await trackedRelayParcel('delayed', 'CMD-4004');
    const late = await followUpOf(world, 'carrier_claim', parcel, { type: 'late' });
    const filed = await claimExecutor.execute(late, await executorContextOf(world, parcel));
    const reference = filed.references?.claimReference;
    expect(filed.summary).toBe(`Filed a late claim with relay-portal: reference ${reference}, for 25.00 EUR (the declared value of 89.00 EUR capped at relay-portal's cap of 25.00 EUR per parcel)`);

    // Nine days later the parcel looks lost; its loss window (10 days after the last scan, 8 March) is open.
    world.clock.set('2026-03-19T09:00:00+01:00');
    const lost = await followUpOf(world, 'carrier_claim', parcel, { type: 'lost' }, '2026-03-19T08:00:00Z');
    const effects = callThroughLedger();
    const result = await claimExecutor.execute(lost, await executorContextOf(world, parcel, effects));
    const lateClaim = await store.claims.findByFollowUp(late.id);
    expect(result).toEqual({
      summary: `No lost claim filed with relay-portal: the late claim ${reference} (claim #${lateClaim!.id}, submitted) is already open for parcel ${parcel.trackingNumber}, and a parcel has one open claim with its carrier at a time`,
      references: { openClaimId: String(lateClaim!.id), openClaimReference: reference },
    });
    expect(effects.calls).toEqual([]);
    expect(claimsOf(parcel).map((claim) => [claim.reference, claim.type])).toEqual([[reference, 'late']]);
    expect(await store.claims.findByFollowUp(lost.id)).toBeUndefined();
  });
});
