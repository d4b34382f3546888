import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { savedPages } from '../../fixtures/testing/payloads.ts';
import { CLAIM_STATUSES } from '../../src/domain/claim.ts';
import type { PortalPage } from '../../src/robot-kit/index.ts';
import { checkClaimState, checkSnapshot, isUrl } from '../../src/testing/domain-checks.ts';
import { mutatedHtml } from '../../src/testing/mutated-html.ts';
import { anyText, oddString } from '../../src/testing/odd-input.ts';
import { assertParsesOrRefuses } from '../../src/testing/parser-properties.ts';
import { parseClaimReceipt, parseClaimsPage, parseFormErrors, parseLoginOutcome, parseParcelPage, parseReturnLabelPage, parseSearchResults } from './parse.ts';

// Whatever page the relay portal shows (changed, broken, hostile), each reader returns what the
// domain allows or a classified error with the page as evidence.

const pages = savedPages('relay-portal');
/** Every parcel number the saved pages show: the numbers a step would look for. */
const numbers = [...new Set(pages.flatMap(({ html }) => html.match(/RP\d{10}/g) ?? []))];

/** A page as a step hands it over: any text, a saved page broken in a few places (`named` ones more often). */
function portalPages(named: RegExp): fc.Arbitrary<PortalPage> {
  const html = fc.oneof(
    anyText,
    { weight: 3, arbitrary: mutatedHtml(pages.filter(({ name }) => named.test(name)).map((page) => page.html)) },
    mutatedHtml(pages.map((page) => page.html)),
  );
  const url = fc.constantFrom('https://pro.relay.example/relay-portal/', 'https://pro.relay.example/relay-portal/search?q=RP3182746507', 'https://pro.relay.example/relay-portal/claims?page=2');
  return fc.record({ step: fc.constant('read page'), method: fc.constant('GET'), url, status: fc.constantFrom(200, 422), html });
}

const trackingNumber = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...numbers) }, oddString);
const withNumber = (named: RegExp) => fc.record({ page: portalPages(named), number: trackingNumber });

describe('the relay portal readers never crash', () => {
  it('parseLoginOutcome: one of the five outcomes, or a classified error', async () => {
    await assertParsesOrRefuses(portalPages(/^(login|code|dashboard)/), parseLoginOutcome, (outcome) => expect(['logged-in', 'code', 'refused', 'locked', 'session-ended']).toContain(outcome));
  });

  it('parseSearchResults: the parcel page address or none, or a classified error', async () => {
    await assertParsesOrRefuses(withNumber(/^search/), ({ page, number }) => parseSearchResults(page, number), (href) => expect(href === undefined || isUrl(href)).toBe(true));
  });

  it('parseParcelPage: a well-formed snapshot of the number asked, or a classified error', async () => {
    await assertParsesOrRefuses(withNumber(/^parcel/), ({ page, number }) => parseParcelPage(page, number), (snapshot, { number }) => checkSnapshot(snapshot, number));
  });

  it('parseFormErrors: the texts of the problems listed', async () => {
    await assertParsesOrRefuses(portalPages(/form/), parseFormErrors, (errors) => expect(errors.every((error) => typeof error === 'string')).toBe(true));
  });

  it('parseClaimReceipt: a reference and a known status, or a classified error', async () => {
    await assertParsesOrRefuses(portalPages(/^claim-receipt/), parseClaimReceipt, (receipt) => {
      expect(receipt.reference).toMatch(/\S/);
      expect(CLAIM_STATUSES).toContain(receipt.status);
    });
  });

  it('parseClaimsPage: well-formed claims and the next page, or a classified error', async () => {
    await assertParsesOrRefuses(portalPages(/^claims-list/), parseClaimsPage, ({ claims, nextPage }) => {
      claims.forEach(checkClaimState);
      expect(nextPage === undefined || isUrl(nextPage)).toBe(true);
    });
  });

  it('parseReturnLabelPage: the return number and the PDF address, or a classified error', async () => {
    await assertParsesOrRefuses(portalPages(/^return-label/), parseReturnLabelPage, ({ returnTrackingNumber, downloadUrl }) => {
      expect(returnTrackingNumber).toMatch(/\S/);
      expect(isUrl(downloadUrl)).toBe(true);
    });
  });
});
