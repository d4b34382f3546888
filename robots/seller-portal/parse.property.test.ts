import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { savedPages } from '../../fixtures/testing/payloads.ts';
import type { CookieHttp, PortalPage } from '../../src/robot-kit/index.ts';
import { checkMarketplaceOrder } from '../../src/testing/domain-checks.ts';
import { mutatedHtml } from '../../src/testing/mutated-html.ts';
import { anyText } from '../../src/testing/odd-input.ts';
import { assertParsesOrRefuses } from '../../src/testing/parser-properties.ts';
import { parsed } from './driver.ts';
import { httpDriver } from './http-driver.ts';
import { alertText, firstOrderLink, isLoginPage, loginOutcome, type Money, parseOrderList, parseOrderPage, parseRefundForm, parseRefundResult, readForm } from './parse.ts';
import { LOGIN } from './selectors.ts';

// Whatever page the seller portal shows (changed, broken, hostile), each reader returns what the
// domain allows, or the step fails with PORTAL_LAYOUT_CHANGED and the page as evidence.

const pages = savedPages('seller-portal');

/** The HTTP driver's own evidence (the page, personal data blanked); no request is ever sent. */
const unused = (): never => {
  throw new Error('no request in a parser test');
};
const driver = httpDriver({ get: unused, postForm: unused, url: unused } as unknown as CookieHttp, { timeoutMs: 1000 });

/** A page as a step hands it over: any text, a saved page broken in a few places (`named` ones more often). */
function portalPages(named: RegExp): fc.Arbitrary<PortalPage> {
  const html = fc.oneof(anyText, { weight: 3, arbitrary: mutatedHtml(pages.filter(({ name }) => named.test(name)).map((page) => page.html)) }, mutatedHtml(pages.map((page) => page.html)));
  return fc.record({ step: fc.constant('read page'), method: fc.constant('GET'), url: fc.constant('https://sellers.example/orders'), status: fc.constant(200), html });
}

/** Runs `read` as a step does: a mismatch becomes PORTAL_LAYOUT_CHANGED with the page. */
const readAs =
  <T>(read: (html: string) => T) =>
  (page: PortalPage): Promise<T> =>
    parsed(driver, page, read);

const expectMoney = ({ amount, currency }: Money) => {
  expect(Number.isFinite(amount) && amount >= 0).toBe(true);
  expect(currency).toMatch(/^[A-Z]{3}$/);
};

describe('the seller portal readers never crash', () => {
  it('sign-in: signed in, or refused or locked with a message', async () => {
    await assertParsesOrRefuses(portalPages(/^login|^home/), readAs(loginOutcome), (outcome) => {
      expect(['signed-in', 'refused', 'locked']).toContain(outcome.kind);
      if (outcome.kind !== 'signed-in') expect(outcome.message).toMatch(/\S/);
    });
  });

  it('the small readers: alert text, sign-in page, first order link, a form and its fields', async () => {
    const readers = (html: string) => [alertText(html), isLoginPage(html), firstOrderLink(html), readForm(html, LOGIN.form, ['email', 'password'])] as const;
    await assertParsesOrRefuses(portalPages(/^login/), readAs(readers), ([alert, loginPage, link, form]) => {
      expect(typeof alert).toBe('string');
      expect(typeof loginPage).toBe('boolean');
      expect(link === undefined || typeof link === 'string').toBe(true);
      expect(Object.values(form.fields).every((value) => typeof value === 'string')).toBe(true);
    });
  });

  it('the orders list: well-formed orders, their count and the next page', async () => {
    await assertParsesOrRefuses(portalPages(/^orders/), readAs(parseOrderList), ({ orders, count, next }) => {
      orders.forEach(checkMarketplaceOrder);
      expect(Number.isInteger(count) && count >= 0).toBe(true);
      expect(next === undefined || typeof next === 'string').toBe(true);
    });
  });

  it('an order page: a well-formed order and its refunds', async () => {
    await assertParsesOrRefuses(portalPages(/^order-/), readAs(parseOrderPage), ({ order, refunds }) => {
      checkMarketplaceOrder(order);
      for (const refund of refunds) {
        expect(refund.reference).toMatch(/\S/);
        expect(Number.isFinite(refund.amount)).toBe(true);
      }
    });
  });

  it('the refund form: what is left to refund, or why nothing can be', async () => {
    await assertParsesOrRefuses(portalPages(/^refund-form/), readAs(parseRefundForm), (outcome) => {
      if (outcome.kind === 'refused') expect(outcome.message).toMatch(/\S/);
      else expectMoney(outcome.refundable);
    });
  });

  it('the page after the refund form: the refund made, or why not', async () => {
    await assertParsesOrRefuses(portalPages(/^refund/), readAs(parseRefundResult), (outcome) => {
      if (outcome.kind === 'refused') expect(outcome.message).toMatch(/\S/);
      else {
        expect(outcome.reference).toMatch(/\S/);
        expectMoney(outcome.amount);
      }
    });
  });
});
