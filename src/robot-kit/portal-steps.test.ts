import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { blankPersonalData, htmlEvidence, playwrightReason, portalUrl, runStep } from './portal-steps.ts';

describe('blankPersonalData', () => {
  it.each([
    ['a password typed back into its field', '<input type="password" name="pw" value="hunter22">', '<input type="password" name="pw" value="">'],
    ['the login e-mail as the portal shows it', '<span id="account-name">ops@shop.example</span>', '<span id="account-name">[blanked]</span>'],
    ['an e-mail in a field and a link', '<input type="email" value="Camille.Martin@example.com"><a href="mailto:help@portal.example">', '<input type="email" value="[blanked]"><a href="mailto:[blanked]">'],
    ['an address with a plus and subdomains', 'to jo+returns@mail.shop.example.co.uk.', 'to [blanked].'],
    ['no address: left alone', '<p>Parcel RP3182746507 @ Lyon, 12.50 EUR</p>', '<p>Parcel RP3182746507 @ Lyon, 12.50 EUR</p>'],
    ['phone numbers, international or national', '<a href="tel:+33612345678">+33 6 12 34 56 78</a> or 06.12.34.56.78, +44 (0)20 7946 0958', '<a href="tel:[blanked]">[blanked]</a> or [blanked], [blanked]'],
    ['no phone: tracking numbers, dates, times, prices left alone', '<p>0034043493825327594 734567863826 03-10-2026 <time datetime="2024-07-09T10:00:00+02:00">09/07/2024 10:00</time> 1 234.50 EUR</p>', '<p>0034043493825327594 734567863826 03-10-2026 <time datetime="2024-07-09T10:00:00+02:00">09/07/2024 10:00</time> 1 234.50 EUR</p>'],
  ])('blanks %s', (_, html, blanked) => {
    expect(blankPersonalData(html)).toBe(blanked);
  });

  it("blanks the account's own login and password in every form a page writes them, whatever the case", () => {
    const login = "o'brien.shop";
    const html = `<p>Welcome O'BRIEN.SHOP</p><input value="o&#39;brien.shop"><a href="/u?name=o'brien.shop&x=1">x</a><p>${encodeURIComponent("o'brien.shop")}</p><p>pw: s3cret&more</p><p>s3cret&amp;more</p>`;
    expect(blankPersonalData(html, [login, 's3cret&more'])).toBe(
      '<p>Welcome [blanked]</p><input value="[blanked]"><a href="/u?name=[blanked]&x=1">x</a><p>[blanked]</p><p>pw: [blanked]</p><p>[blanked]</p>',
    );
  });

  it("blanks the text of the robot's personal-data cells and the value of such fields, in a page or a fragment", () => {
    const cells = ['.customer-name', '[name="phone"]'];
    expect(blankPersonalData('<td class="customer-name">Léa Dubois</td><td>SP-1</td><input name="phone" value="0612">', [], cells)).toBe(
      '<td class="customer-name">[blanked]</td><td>SP-1</td><input name="phone" value="[blanked]">',
    );
    expect(blankPersonalData('<!DOCTYPE html><html><head></head><body><dd class="customer-name">Léa</dd></body></html>', [], cells)).toBe(
      '<!DOCTYPE html><html><head></head><body><dd class="customer-name">[blanked]</dd></body></html>',
    );
    expect(blankPersonalData('<p>no customer</p >', [], cells)).toBe('<p>no customer</p >');
  });

  it('leaves values too short to tell from words alone', () => {
    expect(blankPersonalData('<p>stops at the shop</p>', ['ops'])).toBe('<p>stops at the shop</p>');
  });

  it('reads a page with a 2 MB run of word characters and no address in one pass (it took hours)', () => {
    const html = `<p>${'x'.repeat(2_000_000)}</p>`;
    expect(blankPersonalData(html)).toBe(html);
  });
});

describe('htmlEvidence', () => {
  it('records the request that drew the page, its method included, without the query and with personal data blanked', () => {
    const page = { step: 'submit refund', method: 'POST', url: 'https://sellers.example/orders/SP-1/refund?token=abc', status: 422, html: '<p>Refund for lea@example.com refused</p>' };
    expect(htmlEvidence(page)).toEqual({
      step: 'submit refund',
      request: { method: 'POST', url: 'https://sellers.example/orders/SP-1/refund' },
      status: 422,
      html: '<p>Refund for [blanked] refused</p>',
    });
  });
});

describe('what a step says of a Playwright error', () => {
  // As Playwright words a failed fill: the call log after the first line quotes the value typed.
  const failedFill = () => Object.assign(new Error('locator.fill: Error: Element is not an <input>\nCall log:\n\u001b[2m  - fill("S3cret-Pa55")\u001b[22m\n'), { name: 'Error' });

  it('keeps the first line, colours and quoted arguments removed', () => {
    expect(playwrightReason(failedFill())).toBe('locator.fill: Error: Element is not an <input>');
    expect(playwrightReason(new Error('\u001b[2mlocator.type("S3cret-Pa55")\u001b[22m: failed'))).toBe('locator.type("[blanked]"): failed');
  });

  it('lets no error leave runStep with a typed value in its message or stack', async () => {
    // The page is read only for a timeout's evidence: this error is no timeout.
    const left = await runStep({} as Page, 'log in', () => Promise.reject(failedFill())).catch((error: Error) => error);
    expect(left).toBeInstanceOf(Error);
    expect(left.message).toBe('locator.fill: Error: Element is not an <input>');
    expect(`${left.stack} ${String(left.cause)}`).not.toContain('S3cret-Pa55');
    expect(left.stack).toMatch(/\n\s+at /);
  });
});

describe('portalUrl', () => {
  it.each([
    ['https://pro.relay.example', '/login', 'https://pro.relay.example/login'],
    ['https://pro.relay.example/relay-portal', '/claims/new?tracking=RP1', 'https://pro.relay.example/relay-portal/claims/new?tracking=RP1'],
    ['https://pro.relay.example/relay-portal/', 'search', 'https://pro.relay.example/relay-portal/search'],
  ])('keeps the path of %s for %s', (base, path, url) => {
    expect(portalUrl(base, path)).toBe(url);
  });
});
