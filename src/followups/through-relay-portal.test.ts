import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { numberFor, PortalVisitor } from '../../fixtures/relay-portal/testing.ts';
import { DEMO_ACCOUNTS } from '../../fixtures/relay-portal/simulator.ts';
import { callThroughLedger, capturedLogger, executorContextOf, followUpOf, storedShipment } from '../../fixtures/testing/follow-up-context.ts';
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
    const followUp = await followUpOf(world, 'carrier_claim', damaged, { type: 'damaged', verdict: 'delivered_on_time', reason: 'the customer reports a crushed box' });
    const effects = callThroughLedger();
    const result = await claimExecutor.execute(followUp, await executorContextOf(world, damaged, effects));

    expect(result).toMatchObject({ summary: 'Filed a damaged claim with relay-portal: reference CLM-2026-000001', references: { claimReference: 'CLM-2026-000001' } });
    // The portal robot answers the claim already open: the ledger may run it again to reconcile.
    expect(effects.calls).toEqual([{ key: `${followUp.id}:claim`, target: 'relay-portal', reconcile: true, retrySafe: false }]);
    const claim = await store.claims.findByFollowUp(followUp.id);
    expect(claim).toMatchObject({ carrier: 'relay-portal', type: 'damaged', filedVia: 'portal', status: 'submitted', reference: 'CLM-2026-000001', amountClaimed: 74.5, filedAt: world.clock.now().toISOString() });
    expect(portal.claims()).toEqual([{ reference: 'CLM-2026-000001', trackingNumber: damaged.trackingNumber, type: 'damaged', status: 'submitted' }]);

    // The portal shows the PDF parcelbot kept as evidence, byte for byte.
    const evidence = await documents.read(claim!.evidenceDocumentId!);
    const person = new PortalVisitor(`${world.fixtures.url}/relay-portal`);
    await person.logIn(DEMO_ACCOUNTS.withoutTotp, world.clock.now());
    expect((await person.get('/claims/CLM-2026-000001')).text).toContain(`${evidence!.fileName} (${evidence!.bytes.length} bytes)`);
    expect((await readPdf(evidence!.bytes)).text).toContain(`Carrier claim evidence: parcel ${damaged.trackingNumber}`);

    // A claim UPS cannot be asked about, followed by hand.
    const ups = await storedShipment(world, { trackingNumber: '1Z999AA10123456784', carrier: 'ups', customerLang: 'fr', destinationCountry: 'FR' });
    await store.claims.record({ followUpId: 'manual-ups', shipmentId: ups.id, carrier: 'ups', trackingNumber: ups.trackingNumber, type: 'late', filedVia: 'agent', status: 'submitted', reference: 'UPS-CASE-1' }, world.clock.now());
    const deps = { store, robot: world.app.robot, clock: world.clock, logger: capturedLogger().logger };
    expect(await refreshClaimStatuses(deps)).toEqual({ asked: 1, changed: [], notListed: [], unsupported: ['ups'], failed: [] });

    world.clock.advance(9 * DAY_MS);
    expect(await refreshClaimStatuses(deps)).toEqual({
      asked: 1,
      changed: [{ claimId: claim!.id, carrier: 'relay-portal', reference: 'CLM-2026-000001', from: 'submitted', to: 'paid', note: '74.50 EUR paid by bank transfer' }],
      notListed: [],
      unsupported: ['ups'],
      failed: [],
    });
    expect(await store.claims.findByFollowUp(followUp.id)).toMatchObject({ status: 'paid', statusNote: '74.50 EUR paid by bank transfer', lastCheckedAt: world.clock.now().toISOString() });
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
