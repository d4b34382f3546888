import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../fixtures/relay-portal/simulator.ts';
import { numberFor, PortalVisitor } from '../../fixtures/relay-portal/testing.ts';
import { startLocalSite } from '../../fixtures/testing/local-site.ts';
import { pdfText } from '../../fixtures/testing/pdf-text.ts';
import { rejectionOf } from '../../fixtures/testing/robot-errors.ts';
import type { ClaimRequest } from '../../src/domain/claim.ts';
import { useRelayRobot } from './test-portal.ts';

const { portal, robot, clock, base } = await useRelayRobot('follow-ups');
const DAY_MS = 24 * 3600_000;

async function evidencePdf(): Promise<{ fileName: string; content: Buffer }> {
  const pdf = await PDFDocument.create();
  pdf.setTitle('Tracking timeline');
  pdf.addPage();
  return { fileName: 'timeline.pdf', content: Buffer.from(await pdf.save()) };
}

const claim = async (change: Partial<ClaimRequest> = {}): Promise<ClaimRequest> => ({
  type: 'damaged',
  trackingNumber: numberFor('damaged'),
  declaredValue: 74.5,
  currency: 'EUR',
  description: 'Box crushed, the vase inside is broken.',
  evidencePdf: await evidencePdf(),
  ...change,
});

/** `count` claims filed by a person on the portal (not the robot): lost parcels, newest first in the list. */
async function filedByPerson(count: number): Promise<void> {
  const person = new PortalVisitor(base);
  await person.logIn(DEMO_ACCOUNTS.withoutTotp, clock.now());
  await person.get('/claims/new');
  for (let i = 0; i < count; i++) {
    const form = new FormData();
    for (const [name, value] of Object.entries({ type: 'lost', tracking_number: numberFor('lost'), declared_value: '10', description: 'gone' })) form.set(name, value);
    expect((await person.postMultipart('/claims', form)).status).toBe(303);
  }
}

describe('claims', () => {
  it('files a claim with its PDF evidence and returns the portal reference', async () => {
    const receipt = await robot().fileClaim(await claim());
    expect(receipt).toEqual({ reference: 'CLM-2024-000001', status: 'submitted' });
    expect(portal.claims()).toEqual([{ reference: 'CLM-2024-000001', trackingNumber: numberFor('damaged'), type: 'damaged', status: 'submitted' }]);
    expect(portal.stats()).toMatchObject({ claimsFiled: 1, loginsSucceeded: 1 });
  });

  it('answers the claim already open for the parcel instead of filing it twice, and files again once it was refused', async () => {
    const relay = robot();
    const first = await relay.fileClaim(await claim());
    expect(await relay.fileClaim(await claim())).toEqual(first);
    expect(portal.stats().claimsFiled).toBe(1);
    portal.advanceClaim(first.reference, 'refused');
    expect((await relay.fileClaim(await claim())).reference).toBe('CLM-2024-000002');
  });

  it('answers the claim already open even when newer claims pushed it to an older page of the list', async () => {
    const relay = robot();
    const first = await relay.fileClaim(await claim({ evidencePdf: undefined }));
    await filedByPerson(10);
    expect(await relay.fileClaim(await claim({ evidencePdf: undefined }))).toEqual(first);
    expect(portal.claims().filter((filed) => filed.trackingNumber === numberFor('damaged'))).toHaveLength(1);
  });

  it('files once when the session ends between the claim and its receipt: the retry finds it open', async () => {
    const relay = robot();
    await relay.claimStatus(['CLM-2024-000001']);
    // The claims list, the form, its post: the receipt is the 4th logged-in request.
    portal.configure({ expireSessionsAtRequest: 4 });
    expect(await relay.fileClaim(await claim())).toEqual({ reference: 'CLM-2024-000001', status: 'submitted' });
    expect(portal.stats()).toMatchObject({ claimsFiled: 1, sessionsForgotten: 1, loginsSucceeded: 2 });
  });

  it('a claim form the portal answers with a redirect to another host: HOST_NOT_ALLOWED, final, and nothing loaded from there', async () => {
    // A receipt of its own on the other host: followed, the robot would read a claim there.
    const elsewhere = await startLocalSite((_, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<p id="claim-reference">CLM-2024-999999</p>'));
    try {
      const relay = robot();
      await relay.claimStatus(['CLM-2024-000001']);
      portal.configure({ formsRedirectTo: `${elsewhere.url}/gateway?ticket=secret-ticket-1` });
      const started = performance.now();
      const error = await rejectionOf(relay.fileClaim(await claim()));
      expect(error).toMatchObject({
        code: 'HOST_NOT_ALLOWED',
        policy: 'final',
        message: `send claim: the portal redirected the page to ${elsewhere.url}, which is not the portal's host: not followed`,
        evidence: { step: 'send claim', request: { method: 'POST', url: `${base}/claims` } },
      });
      // Told at once, not after waiting RELAY_PORTAL_TIMEOUT_MS for a page that cannot come.
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(elsewhere.requests).toEqual([]);
      expect(elsewhere.connections).toBe(0);
    } finally {
      await elsewhere.close();
    }
  });

  it('surfaces the portal refusing a file that is no PDF as REQUEST_REFUSED with the form as evidence', async () => {
    const error = await rejectionOf(robot().fileClaim(await claim({ evidencePdf: { fileName: 'notes.pdf', content: Buffer.from('just text') } })));
    expect(error).toMatchObject({ code: 'REQUEST_REFUSED', message: 'the relay portal refused the claim: The evidence must be a PDF file.', evidence: { step: 'send claim' } });
    expect(portal.stats()).toMatchObject({ claimsFiled: 0, claimsRejected: 1 });
  });

  it('reads the claims list for the references asked, as their status moves on', async () => {
    const relay = robot();
    const damaged = await relay.fileClaim(await claim());
    const late = await relay.fileClaim(await claim({ type: 'late', trackingNumber: numberFor('delayed'), evidencePdf: undefined }));
    expect((await relay.claimStatus([late.reference, damaged.reference, 'CLM-2024-999999'])).map(({ reference, status }) => ({ reference, status }))).toEqual([
      { reference: late.reference, status: 'submitted' },
      { reference: damaged.reference, status: 'submitted' },
    ]);
    clock.advance(6 * DAY_MS);
    portal.advanceClaim(damaged.reference, 'paid');
    // Six days later the session ended too: the robot logs in again on its way.
    expect(await relay.claimStatus([damaged.reference, late.reference])).toEqual([
      { reference: damaged.reference, trackingNumber: numberFor('damaged'), type: 'damaged', status: 'paid', note: '25.00 EUR paid by bank transfer', updatedAt: '2024-07-16T12:00:00+02:00' },
      { reference: late.reference, trackingNumber: numberFor('delayed'), type: 'late', status: 'refused', note: 'Delivery times are indicative: a late delivery is not compensated', updatedAt: '2024-07-15T12:00:00+02:00' },
    ]);
  });

  it('follows the list to older pages until it has every reference', async () => {
    const relay = robot();
    const first = await relay.fileClaim(await claim({ evidencePdf: undefined }));
    // Ten newer claims: the first one moves to the second page.
    await filedByPerson(10);
    const requests = portal.stats().byRoute['GET /claims'] ?? 0;
    expect((await relay.claimStatus([first.reference])).map((state) => state.reference)).toEqual([first.reference]);
    expect(portal.stats().byRoute['GET /claims']).toBe(requests + 2);
  });
});

describe('return labels', () => {
  it('downloads the label: a valid PDF holding the return tracking number', async () => {
    const label = await robot().returnLabel(numberFor('collected'));
    expect(label.returnTrackingNumber).toBe('RP9000000019');
    expect(label.fileName).toBe('return-RP9000000019.pdf');
    expect(label.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pdf = await PDFDocument.load(label.pdf);
    expect(pdf.getPageCount()).toBe(1);
    expect(pdf.getTitle()).toBe('Return label RP9000000019');
    const text = pdfText(pdf);
    expect(text).toContain('RP9000000019');
    expect(text).toContain(`Returns parcel ${numberFor('collected')}`);
  });

  it('gets the same label when asked again', async () => {
    const relay = robot();
    const [first, second] = [await relay.returnLabel(numberFor('collected')), await relay.returnLabel(numberFor('collected'))];
    expect(second.returnTrackingNumber).toBe(first.returnTrackingNumber);
    expect(portal.stats()).toMatchObject({ returnLabelsCreated: 1, labelsDownloaded: 2 });
  });

  it('logs in again when the session ends right before the download', async () => {
    const relay = robot();
    await relay.returnLabel(numberFor('collected'));
    // Return form, its post, the label page: the PDF is the 4th logged-in request.
    portal.configure({ expireSessionsAtRequest: 4 });
    expect((await relay.returnLabel(numberFor('collected'))).pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // Asked three times: the first label, the one the ended session redirected, the retry.
    expect(portal.stats()).toMatchObject({ sessionsForgotten: 1, loginsSucceeded: 2, labelsDownloaded: 2, byRoute: { 'GET /returns/:number/label.pdf': 3 } });
  });

  it('surfaces the portal refusing a parcel not collected as REQUEST_REFUSED', async () => {
    const error = await rejectionOf(robot().returnLabel(numberFor('in-transit')));
    expect(error.code).toBe('REQUEST_REFUSED');
    expect(error.message).toMatch(/only be made for a parcel the recipient collected/);
  });
});

describe('checkPortal', () => {
  it('finds every selector on every page, changing nothing', async () => {
    const relay = robot();
    await relay.fileClaim(await claim({ evidencePdf: undefined }));
    const before = portal.stats();
    const checks = await relay.checkPortal();
    expect(checks.filter((check) => check.state !== 'found')).toEqual([]);
    expect(new Set(checks.map((check) => check.page))).toEqual(new Set(['login', 'search', 'parcel', 'claim form', 'claims', 'claim', 'return form']));
    expect(checks).toContainEqual({ page: 'parcel', name: 'events', selector: '#parcel-events', state: 'found' });
    const after = portal.stats();
    expect(after).toMatchObject({ claimsFiled: before.claimsFiled, returnLabelsCreated: 0, loginAttempts: before.loginAttempts, csrfRejected: 0 });
    expect(Object.keys(after.byRoute).filter((route) => route.startsWith('POST'))).toEqual(['POST /login', 'POST /login/code', 'POST /claims']);
  });

  it('reports the selectors a redesign broke, and the pages it could no longer reach', async () => {
    const relay = robot();
    await relay.track([numberFor('collected')]);
    portal.setFaults({ fault: 'changed-layout' });
    const checks = await relay.checkPortal();
    expect(checks).toContainEqual({ page: 'login', name: 'form', selector: '#login-form', state: 'missing' });
    expect(checks).toContainEqual({ page: 'search', name: 'form', selector: '#parcel-search', state: 'missing' });
    // No result link matches any more: the parcel page is not reached, rather than all missing.
    expect(checks.filter((check) => check.page === 'parcel')).toContainEqual({ page: 'parcel', name: 'events', selector: '#parcel-events', state: 'page-not-reached', reason: 'no link to it on the search page' });
    expect(checks.filter((check) => check.page === 'parcel').every((check) => check.state === 'page-not-reached')).toBe(true);
  });

  it('reports a page that answers an error as not reached, and checks the others', async () => {
    const relay = robot();
    await relay.track([numberFor('collected')]);
    // The next page drawn is the login page, opened first by the check.
    portal.setFaults({ fault: 'http-500', times: 1 });
    const checks = await relay.checkPortal();
    expect(checks.filter((check) => check.page === 'login').map((check) => [check.state, check.reason])).toEqual(Array(4).fill(['page-not-reached', 'check login: the portal answered HTTP 500']));
    expect(checks.filter((check) => check.page !== 'login' && check.state !== 'found')).toEqual([]);
  });

  it('refuses a login page the portal redirects to another host, loading nothing from there', async () => {
    // A sign-in page of its own on the other host: followed, the check would find the form there.
    const elsewhere = await startLocalSite((_, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<form id="login-form"></form>'));
    try {
      const relay = robot();
      // Logged in before the move: the check's logged-in pages open as before, only its logged-out login page is sent away.
      await relay.track([numberFor('collected')]);
      portal.configure({ signInMovedTo: `${elsewhere.url}/sso/login` });
      const error = await rejectionOf(relay.checkPortal());
      expect(error).toMatchObject({
        code: 'HOST_NOT_ALLOWED',
        policy: 'final',
        message: `check login: the portal redirected the page to ${elsewhere.url}, which is not the portal's host: not followed`,
        evidence: { step: 'check login', request: { method: 'GET', url: `${base}/login` } },
      });
      expect(elsewhere.requests).toEqual([]);
      expect(elsewhere.connections).toBe(0);
    } finally {
      await elsewhere.close();
    }
  });
});
