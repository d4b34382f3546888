import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogOrders } from '../../fixtures/seller-portal/testing.ts';
import { blankPersonalData, checkSelectors } from '../../src/robot-kit/index.ts';
import { alertText, firstOrderLink, isLoginPage, loginOutcome, PageMismatch, parseMoney, parseOrderList, parseOrderPage, parseRefundForm, parseRefundResult, readForm } from './parse.ts';
import { LOGIN, PAGE_CHECKS, PERSONAL_CELLS, REFUND_FORM } from './selectors.ts';

// Saved pages in, what they say out: no browser, no server (fixtures/seller-portal/pages/, kept
// equal to what the simulator serves by fixtures/seller-portal/pages.test.ts, captured on this day).

const page = (name: string): string => readFileSync(new URL(`../../fixtures/seller-portal/pages/${name}.html`, import.meta.url), 'utf8');
const catalog = catalogOrders(new Date('2026-03-10T09:00:00Z'));
const order = (ref: string) => catalog.find((each) => each.orderRef === ref);

describe('sign-in', () => {
  it.each([
    ['home', { kind: 'signed-in' }],
    ['orders-first-page', { kind: 'signed-in' }],
    ['login-refused', { kind: 'refused', message: 'Incorrect e-mail or password.' }],
    ['login-locked', { kind: 'locked', message: 'This account is locked after 2 failed sign-ins: contact marketplace support to unlock it.' }],
  ])('%s.html reads as %j', (name, outcome) => {
    expect(loginOutcome(page(name))).toEqual(outcome);
  });

  it('takes a page that is neither signed in nor the sign-in form for a changed layout', () => {
    expect(() => loginOutcome(page('error-500'))).toThrow(PageMismatch);
  });

  it.each([
    ['login', true],
    ['login-refused', true],
    ['login-changed-layout', true],
    ['home', false],
    ['order-refunded', false],
  ])('isLoginPage(%s.html) is %s', (name, expected) => {
    expect(isLoginPage(page(name))).toBe(expected);
  });

  it('reads the sign-in form as a browser would send it: its hidden CSRF token, its action', () => {
    expect(readForm(page('login'), LOGIN.form, ['email', 'password'])).toEqual({
      action: '/seller-portal/login',
      fields: { csrf_token: 'token-002', next: '', email: '', password: '' },
    });
    expect(readForm(page('login-changed-layout'), LOGIN.form, ['email', 'password']).action).toBe('/seller-portal/login');
    expect(() => readForm(page('login'), LOGIN.form, ['email', 'otp'])).toThrow(/no element matches \[name="otp"\] in form/);
    expect(() => readForm(page('refund-form-changed-layout'), REFUND_FORM.form, ['amount'])).toThrow(/no element matches form#refund-form/);
  });
});

describe('orders list', () => {
  it('reads a first page: 20 orders of the 45, and the link to the next page', () => {
    expect(parseOrderList(page('orders-first-page'))).toEqual({ orders: catalog.slice(0, 20), count: 45, next: '/seller-portal/orders?page=2' });
  });

  it('reads the last page: no next link', () => {
    expect(parseOrderList(page('orders-last-page'))).toEqual({ orders: catalog.slice(40), count: 45, next: undefined });
  });

  it('reads a filtered page and an empty one', () => {
    const filtered = parseOrderList(page('orders-filtered-two-states'));
    expect(filtered.count).toBe(10);
    expect(new Set(filtered.orders.map((each) => each.state))).toEqual(new Set(['late', 'refunded']));
    expect(parseOrderList(page('orders-none-match'))).toEqual({ orders: [], count: 0, next: undefined });
  });

  it('reads a promise window, a single promised day and an order not shipped yet', () => {
    const { orders } = parseOrderList(page('orders-first-page'));
    expect(orders.find((each) => each.orderRef === 'SP-10040')).toMatchObject({ promisedFrom: '2026-03-08', promisedTo: '2026-03-11' });
    expect(orders.find((each) => each.orderRef === 'SP-10045')).toMatchObject({ promisedFrom: '2026-03-13', promisedTo: '2026-03-13' });
    expect(orders.find((each) => each.orderRef === 'SP-10044')).toMatchObject({ carrier: undefined, trackingNumber: undefined });
  });

  it('fails loudly on the redesigned list rather than reading no orders', () => {
    expect(() => parseOrderList(page('orders-changed-layout'))).toThrow(/no element matches #orders-count\[data-count\] on the orders page/);
  });

  it("gives the filter's refusal in the page's alert", () => {
    expect(alertText(page('orders-unknown-state-400'))).toMatch(/^Unknown state "lost": choose one of awaiting shipment, shipped/);
  });
});

describe('order page', () => {
  it.each([
    ['order-shipped-window', 'SP-10040', []],
    ['order-awaiting-shipment', 'SP-10044', []],
    ['order-refunded', 'SP-10038', [{ reference: 'RF-70007', amount: 29.98, reason: 'Parcel lost in transit' }]],
  ])('%s.html is order %s with its refunds', (name, ref, refunds) => {
    expect(parseOrderPage(page(name))).toEqual({ order: order(ref), refunds });
  });

  it('fails loudly on the redesigned page', () => {
    expect(() => parseOrderPage(page('order-changed-layout'))).toThrow(/no element matches #order-detail/);
  });

  it('keeps no promised day the calendar does not have, and refuses a window that ends before it starts', () => {
    expect(parseOrderPage(page('order-refunded').replace('datetime="2026-03-07"', 'datetime="2026-02-30"')).order).toMatchObject({ promisedFrom: undefined, promisedTo: undefined });
    const reversed = page('order-shipped-window').replace('datetime="2026-03-08"', 'datetime="2026-03-18"');
    expect(() => parseOrderPage(reversed)).toThrow(new PageMismatch('a promised window that ends before it starts (2026-03-18 to 2026-03-11)'));
  });

  it('refuses a refund without reference', () => {
    expect(() => parseOrderPage(page('order-refunded').replace('>RF-70007<', '><'))).toThrow(new PageMismatch('a refund without reference'));
  });
});

describe('refund', () => {
  it.each([
    ['refund-form', { kind: 'form', refundable: { amount: 71.5, currency: 'EUR' } }],
    ['refund-form-cancelled', { kind: 'refused', message: 'Order SP-10037 was cancelled: there is nothing to refund.' }],
  ])('the refund page %s.html reads as %j', (name, outcome) => {
    expect(parseRefundForm(page(name))).toEqual(outcome);
  });

  it.each([
    ['refund-done', { kind: 'done', reference: 'RF-80001', amount: { amount: 12.5, currency: 'EUR' } }],
    ['refund-over-total-422', { kind: 'refused', message: 'The amount is more than what is left to refund on this order.' }],
  ])('the answer %s.html reads as %j', (name, outcome) => {
    expect(parseRefundResult(page(name))).toEqual(outcome);
  });

  it('fails loudly on a refund page it cannot read', () => {
    expect(() => parseRefundForm(page('refund-form-changed-layout'))).toThrow(PageMismatch);
    expect(() => parseRefundForm(page('order-not-found-404'))).toThrow(PageMismatch);
    expect(() => parseRefundResult(page('error-500'))).toThrow(/no element matches #refund-reference/);
  });
});

describe('parseMoney', () => {
  it.each([
    ['71.50 EUR', 71.5],
    ['1,234.50 EUR', 1234.5],
    ['12 EUR', 12],
    ['0.5 GBP', 0.5],
  ])('reads %s', (text, amount) => {
    expect(parseMoney(text).amount).toBe(amount);
  });

  it.each(['12,5 EUR', 'EUR 12.50', '12.50', '€12.50', '1,23.00 EUR'])('refuses %s', (text) => {
    expect(() => parseMoney(text)).toThrow(PageMismatch);
  });

  it('refuses an amount too long to be a number (400 digits read as Infinity)', () => {
    expect(() => parseMoney(`${'9'.repeat(400)} EUR`)).toThrow(PageMismatch);
  });
});

describe('portal check', () => {
  it.each([
    ['login', 'login'],
    ['orders', 'orders-first-page'],
    ['order', 'order-refunded'],
    ['refund form', 'refund-form'],
  ] as const)('finds every selector of the %s page on %s.html', (name, file) => {
    const checks = checkSelectors(name, PAGE_CHECKS[name], page(file));
    expect(checks.length).toBeGreaterThan(3);
    expect(checks.filter((check) => check.state !== 'found')).toEqual([]);
  });

  it('names each selector a redesign broke, and keeps the ones that still match', () => {
    const missing = checkSelectors('orders', PAGE_CHECKS.orders, page('orders-changed-layout')).filter((check) => check.state === 'missing');
    expect(missing[0]).toEqual({ page: 'orders', name: 'count', selector: '#orders-count[data-count]', state: 'missing' });
    expect(missing.map((check) => check.name)).not.toContain('signedIn');
    expect(checkSelectors('login', PAGE_CHECKS.login, page('login-changed-layout')).every((check) => check.state === 'found')).toBe(true);
  });

  it('reaches an order through any order link, even on the redesigned list', () => {
    expect(firstOrderLink(page('orders-first-page'))).toBe('/seller-portal/orders/SP-10045');
    expect(firstOrderLink(page('orders-changed-layout'))).toBe('/seller-portal/orders/SP-10045');
    expect(firstOrderLink(page('orders-none-match'))).toBeUndefined();
  });
});

describe('personal data in evidence (PERSONAL_CELLS)', () => {
  // Evidence is kept when a page no longer reads right: a redesigned page is the one that matters.
  it.each(['orders-first-page', 'orders-changed-layout', 'order-awaiting-shipment', 'order-changed-layout'])('blanks every customer name of %s', (name) => {
    const html = page(name);
    const customers = catalog.flatMap((each) => each.customerName ?? []).filter((customer) => html.includes(customer));
    expect(customers.length).toBeGreaterThan(0);
    const kept = blankPersonalData(html, [], PERSONAL_CELLS);
    for (const customer of customers) expect(kept).not.toContain(customer);
    // Only the customer's cells: what locates the failure stays.
    expect(kept).toContain('SP-1004');
  });
});
