import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../../fixtures/testing/robot-errors.ts';
import type { Snapshot } from '../../src/domain/snapshot.ts';
import { blankPersonalData, type PortalPage } from '../../src/robot-kit/index.ts';
import {
  parseClaimReceipt,
  parseClaimsPage,
  parseFormErrors,
  parseLoginOutcome,
  parseParcelPage,
  parseReturnLabelPage,
  parseSearchResults,
} from './parse.ts';
import { PERSONAL_CELLS } from './selectors.ts';

const PORTAL = 'https://pro.relay.example/relay-portal';

/** A page saved from the simulator (fixtures/relay-portal/pages/, see capture-pages.ts), as a step would hand it over. */
function saved(name: string, path = '/', step = 'read page'): PortalPage {
  return { method: 'GET', url: `${PORTAL}${path}`, status: 200, html: readFileSync(new URL(`../../fixtures/relay-portal/pages/${name}.html`, import.meta.url), 'utf8'), step };
}

describe('parseLoginOutcome', () => {
  it.each([
    ['dashboard', 'logged-in'],
    ['code', 'code'],
    ['login-refused', 'refused'],
    ['code-refused', 'refused'],
    ['login-locked', 'locked'],
    // The sign-in form with no alert after a login step: the portal forgot the login under way.
    ['login', 'session-ended'],
  ])('reads %s as %s', (page, outcome) => {
    expect(parseLoginOutcome(saved(page))).toBe(outcome);
  });

  it('calls a page with none of them a changed layout', () => {
    const error = errorOf(() => parseLoginOutcome(saved('parcel-changed-layout', '/', 'log in')));
    expect(error.code).toBe('PORTAL_LAYOUT_CHANGED');
    expect(error.evidence).toMatchObject({ step: 'log in', html: expect.stringContaining('rx-') });
  });
});

describe('parseSearchResults', () => {
  it('finds the parcel page of the number searched for, whatever its case', () => {
    expect(parseSearchResults(saved('search-found', '/search?q=RP3182746507'), 'rp3182746507')).toBe(`${PORTAL}/parcels/RP3182746507`);
  });

  it('finds nothing when the portal says no parcel matches, or lists only other parcels', () => {
    expect(parseSearchResults(saved('search-not-found'), 'RP0000000000')).toBeUndefined();
    expect(parseSearchResults(saved('search-recent'), 'RP0000000000')).toBeUndefined();
  });

  it('refuses a result link no browser could follow', () => {
    const source = saved('search-found');
    const error = errorOf(() => parseSearchResults({ ...source, html: source.html.replace('href="/relay-portal/parcels/RP3182746507"', 'href="http://"') }, 'RP3182746507'));
    expect(error).toMatchObject({ code: 'CARRIER_BAD_PAYLOAD', message: 'read page: the link "http://" is no URL' });
  });

  it('calls a search page with neither results nor "no parcel" a changed layout', () => {
    expect(errorOf(() => parseSearchResults(saved('dashboard'), 'RP3182746507')).code).toBe('PORTAL_LAYOUT_CHANGED');
  });
});

describe('parseParcelPage', () => {
  const day = (date: string) => ({ from: `${date}T00:00:00+02:00`, to: `${date}T23:59:59+02:00` });

  it.each<[string, string, Partial<Snapshot>, number]>([
    ['label-created', 'RP1048273617', { status: 'pending', reason: 'retailer_label_created', isFinal: false }, 1],
    ['dropped-at-relay', 'RP1048273625', { status: 'picked_up', isFinal: false, estimatedDelivery: day('2024-07-13') }, 2],
    ['in-transit', 'RP2150938476', { status: 'in_transit', estimatedDelivery: day('2024-07-11') }, 4],
    ['delayed', 'RP2150938484', { status: 'delivery_delayed', reason: 'carrier_incident', estimatedDelivery: day('2024-07-09') }, 4],
    ['ready-for-pickup', 'RP3182746507', { status: 'ready_for_pickup', isFinal: false }, 6],
    ['relay-closed', 'RP3182746515', { status: 'delivery_delayed', reason: 'consignee_business_closed', estimatedDelivery: day('2024-07-12') }, 5],
    ['collected', 'RP4209183765', { status: 'delivered', isFinal: true, deliveredAt: '2024-07-09T07:00:00+02:00' }, 6],
    ['not-collected-returning', 'RP4209183773', { status: 'return_to_sender', isFinal: false }, 6],
    ['returned-to-sender', 'RP5273109842', { status: 'return_to_sender', reason: 'carrier_returned_to_sender', isFinal: true }, 6],
    ['damaged', 'RP5273109859', { status: 'damaged', reason: 'carrier_damaged_parcel', isFinal: false }, 4],
    ['lost', 'RP6330194827', { status: 'lost', reason: 'carrier_parcel_lost', isFinal: true }, 4],
    ['cancelled', 'RP6330194835', { status: 'cancelled', isFinal: true }, 2],
    ['progresses-to-delivery', 'RP8520641930', { status: 'in_transit', estimatedDelivery: day('2024-07-11') }, 3],
  ])('reads parcel-%s.html', (scenario, number, expected, eventCount) => {
    const snapshot = parseParcelPage(saved(`parcel-${scenario}`), number);
    expect(snapshot).toMatchObject({ trackingNumber: number, carrier: 'relay-portal', unmappedCodes: [], ...expected });
    expect(snapshot.events).toHaveLength(eventCount);
    if (expected.deliveredAt === undefined) expect(snapshot).not.toHaveProperty('deliveredAt');
    if (expected.estimatedDelivery === undefined) expect(snapshot).not.toHaveProperty('estimatedDelivery');
    if (expected.reason === undefined) expect(snapshot).not.toHaveProperty('reason');
  });

  it('keeps every event with its code, label, location and offset, newest first', () => {
    const snapshot = parseParcelPage(saved('parcel-ready-for-pickup'), 'RP3182746507');
    expect(snapshot.product).toBe('Relay Standard');
    expect(snapshot.events.slice(0, 2)).toEqual([
      { at: '2024-07-09T10:00:00+02:00', code: 'RDY', label: 'Ready for pickup at relay', status: 'ready_for_pickup', location: 'Tabac de la Gare, Lyon', source: 'portal', robot: 'relay-portal' },
      { at: '2024-07-09T09:00:00+02:00', code: 'ARR', label: 'Arrived at destination relay', status: 'in_transit', location: 'Tabac de la Gare, Lyon', source: 'portal', robot: 'relay-portal' },
    ]);
    expect(snapshot.events.at(-1)).toMatchObject({ code: 'CRE', status: 'pending', reason: 'retailer_label_created', location: 'Online' });
  });

  it('records a code it does not know instead of guessing', () => {
    const snapshot = parseParcelPage(saved('parcel-unknown-code'), 'RP7419028357');
    expect(snapshot).toMatchObject({ status: 'unknown', isFinal: false, unmappedCodes: [{ code: 'XFR', label: 'Handed to a partner network' }] });
    expect(snapshot.events[0]).toMatchObject({ code: 'XFR', status: 'unknown', location: 'Hub Saint-Priest' });
  });

  it('calls a redesigned page a changed layout, with the page as evidence and the step', () => {
    const error = errorOf(() => parseParcelPage(saved('parcel-changed-layout', '/parcels/RP3182746507', 'read parcel'), 'RP3182746507'));
    expect(error.code).toBe('PORTAL_LAYOUT_CHANGED');
    expect(error.message).toMatch(/^read parcel: no element matches #parcel-number/);
    expect(error.evidence).toMatchObject({ step: 'read parcel', request: { method: 'GET', url: `${PORTAL}/parcels/RP3182746507` }, html: expect.stringContaining('RP3182746507') });
  });

  it('refuses the page of another parcel, and a date without an offset', () => {
    expect(errorOf(() => parseParcelPage(saved('parcel-collected'), 'RP3182746507')).message).toMatch(/shows RP4209183765, not RP3182746507/);
    const source = saved('parcel-collected');
    const noOffset = { ...source, html: source.html.replace('2024-07-09T07:00:00+02:00', '2024-07-09T07:00:00') };
    const error = errorOf(() => parseParcelPage(noOffset, 'RP4209183765'));
    expect(error.code).toBe('CARRIER_BAD_PAYLOAD');
    expect(error.message).toMatch(/"2024-07-09T07:00:00" is not ISO 8601 with an offset/);
  });

  it('refuses a date no calendar or clock has', () => {
    const source = saved('parcel-collected');
    const error = errorOf(() => parseParcelPage({ ...source, html: source.html.replace('2024-07-09T07:00:00+02:00', '2024-07-09T24:30:00+02:00') }, 'RP4209183765'));
    expect(error).toMatchObject({ code: 'CARRIER_BAD_PAYLOAD', message: expect.stringMatching(/"2024-07-09T24:30:00\+02:00" is not ISO 8601/) });
  });

  it('reads an expected day written to the minute as that whole day, at its offset', () => {
    const source = saved('parcel-in-transit');
    const snapshot = parseParcelPage({ ...source, html: source.html.replace('datetime="2024-07-11T00:00:00+02:00"', 'datetime="2024-07-11T00:00+02:00"') }, 'RP2150938476');
    expect(snapshot.estimatedDelivery).toEqual({ from: '2024-07-11T00:00+02:00', to: '2024-07-11T23:59:59+02:00' });
  });
});

describe('claims', () => {
  it('reads the claim page after filing: its reference and status', () => {
    expect(parseClaimReceipt(saved('claim-receipt'))).toEqual({ reference: 'CLM-2024-000001', status: 'submitted' });
  });

  it('reads the claims list: every status, note and update time', () => {
    expect(parseClaimsPage(saved('claims-list', '/claims'))).toEqual({
      claims: [
        { reference: 'CLM-2024-000003', trackingNumber: 'RP2150938484', type: 'late', status: 'refused', note: 'Delivery times are indicative: a late delivery is not compensated', updatedAt: '2024-07-15T12:00:00+02:00' },
        { reference: 'CLM-2024-000002', trackingNumber: 'RP5273109859', type: 'damaged', status: 'under_investigation', updatedAt: '2024-07-10T12:00:00+02:00' },
        { reference: 'CLM-2024-000001', trackingNumber: 'RP6330194827', type: 'lost', status: 'paid', note: '25.00 EUR paid by bank transfer', updatedAt: '2024-07-10T12:00:00+02:00' },
      ],
    });
  });

  it('follows the list to its next page', () => {
    const { claims, nextPage } = parseClaimsPage(saved('claims-list-first-of-two-pages', '/claims'));
    expect(claims).toHaveLength(10);
    expect(nextPage).toBe(`${PORTAL}/claims?page=2`);
  });

  it('refuses a claim page whose reference is empty', () => {
    const source = saved('claim-receipt');
    const error = errorOf(() => parseClaimReceipt({ ...source, html: source.html.replace('>CLM-2024-000001<', '> <') }));
    expect(error).toMatchObject({ code: 'CARRIER_BAD_PAYLOAD', message: 'read page: #claim-reference is empty' });
  });

  it('refuses a status label it does not know: a claim status is never guessed', () => {
    const source = saved('claim-receipt');
    const error = errorOf(() => parseClaimReceipt({ ...source, html: source.html.replace('>Submitted<', '>Escalated<') }));
    expect(error.code).toBe('CARRIER_BAD_PAYLOAD');
    expect(error.message).toMatch(/unknown claim status "Escalated"/);
  });

  it('reads the problems of a refused form, and none on a form not refused', () => {
    expect(parseFormErrors(saved('claim-form-refused'))).toEqual(['The evidence must be a PDF file.']);
    expect(parseFormErrors(saved('claim-form'))).toEqual([]);
  });
});

describe('return labels', () => {
  it('reads the return number and the PDF address', () => {
    expect(parseReturnLabelPage(saved('return-label', '/returns/RP9000000019'))).toEqual({
      returnTrackingNumber: 'RP9000000019',
      downloadUrl: `${PORTAL}/returns/RP9000000019/label.pdf`,
    });
  });

  it('reads why a return was refused', () => {
    expect(parseFormErrors(saved('return-form-refused'))).toEqual([
      'A return label can only be made for a parcel the recipient collected; RP3182746507 is "Ready for pickup at relay".',
    ]);
  });
});

describe('personal data in evidence (PERSONAL_CELLS)', () => {
  // Evidence is kept when a page no longer reads right: the redesigned page is the one that matters.
  it.each(['parcel-ready-for-pickup', 'parcel-changed-layout'])("blanks the recipient's name and phone on %s, and keeps the relay point's address", (name) => {
    const { html } = saved(name);
    expect(html).toContain('Camille Martin');
    const kept = blankPersonalData(html, [], PERSONAL_CELLS);
    expect(kept).not.toMatch(/Camille Martin|\+33 ?6|612345678/);
    expect(kept).toContain('12 rue de la Gare, 69003 Lyon');
    expect(kept).toContain('RP3182746507');
  });
});
