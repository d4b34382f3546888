import { type Cheerio, type CheerioAPI, load } from 'cheerio';
import type { AnyNode } from 'domhandler';
import { isCalendarDay } from '../../src/domain/calendar-day.ts';
import type { MarketplaceOrder } from '../../src/domain/marketplace-order.ts';
import { ALERT, LINE, LOCKED_TEXT, LOGIN, ORDER, ORDER_LIST, ORDER_PAGE, REFUND_DONE, REFUND_FORM, SIGNED_IN } from './selectors.ts';

// Pure: the portal's HTML in, what it says out. No sockets, pages or time; tested on saved pages.

/** A required element is missing or unreadable: the portal's layout changed (portal.ts adds the evidence). */
export class PageMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PageMismatch';
  }
}

export interface Money {
  amount: number;
  currency: string;
}

export interface RefundLine {
  reference: string;
  amount: number;
  reason: string;
}

export type LoginOutcome = { kind: 'signed-in' } | { kind: 'refused' | 'locked'; message: string };
export type RefundFormOutcome = { kind: 'form'; refundable: Money } | { kind: 'refused'; message: string };
export type RefundOutcome = { kind: 'done'; reference: string; amount: Money } | { kind: 'refused'; message: string };

type Scope = Cheerio<AnyNode>;

// htmlparser2 rather than parse5: the same tree for these pages, at about twice the speed.
const parse = (html: string): CheerioAPI => load(html, { xml: { xmlMode: false, decodeEntities: true } });

const textOf = (found: Scope): string => found.text().replace(/\s+/g, ' ').trim();

function required(scope: Scope, selector: string, where: string): Scope {
  const found = scope.find(selector).first();
  if (found.length === 0) throw new PageMismatch(`no element matches ${selector} ${where}`);
  return found;
}

/** What the portal writes for "nothing here" ("—" or an empty cell) is no value. */
function optionalText(found: Scope): string | undefined {
  const text = textOf(found);
  return text === '' || text === '—' ? undefined : text;
}

const MONEY = /^(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d{1,2}))?\s*([A-Z]{3})$/;

/** `1,234.50 EUR` as the portal writes amounts. */
export function parseMoney(text: string): Money {
  const match = MONEY.exec(text.trim());
  const amount = match ? Number(`${match[1]!.replace(/,/g, '')}.${match[2] ?? '0'}`) : Number.NaN;
  // 400 digits match the pattern and read as Infinity.
  if (!match || !Number.isFinite(amount)) throw new PageMismatch(`cannot read the amount "${text.slice(0, 40)}"`);
  return { amount, currency: match[3]! };
}

/** The days of the `time[datetime]` elements in `found`, in page order; one that is no calendar day (2026-02-30) is none. */
function days(found: Scope): string[] {
  return found
    .find('time[datetime]')
    .toArray()
    .map((time) => (time.attribs.datetime ?? '').slice(0, 10))
    .filter(isCalendarDay);
}

/** Whether this is the sign-in page (a step that lands there mid-flow lost its session). */
export function isLoginPage(html: string): boolean {
  return parse(html)(LOGIN.password).length > 0;
}

/** The page after the sign-in form was sent. */
export function loginOutcome(html: string): LoginOutcome {
  const $ = parse(html);
  if ($(LOGIN.password).length > 0) {
    const message = textOf($(LOGIN.error).first()) || 'the portal showed the sign-in form again without saying why';
    return { kind: LOCKED_TEXT.test(message) ? 'locked' : 'refused', message };
  }
  if ($(SIGNED_IN).length > 0) return { kind: 'signed-in' };
  throw new PageMismatch(`after signing in, neither the sign-in form (${LOGIN.password}) nor a signed-in page (${SIGNED_IN})`);
}

/** The message a page shows in its alert (a refused filter, a refused form), or ''. */
export function alertText(html: string): string {
  return textOf(parse(html)(ALERT).first());
}

/**
 * A form's action and the values it would send as it stands (hidden fields: the CSRF token), after
 * checking it has `fieldNames`. Inputs and text areas: the robot sends no form with a select.
 */
export function readForm(html: string, form: string, fieldNames: readonly string[]): { action?: string; fields: Record<string, string> } {
  const found = required(parse(html).root(), form, 'on the page');
  for (const name of fieldNames) required(found, `[name="${name}"]`, `in ${form}`);
  const fields: Record<string, string> = {};
  for (const field of found.find('input[name], textarea[name]').toArray()) {
    const { name = '', type = '', value = '' } = field.attribs;
    if (['submit', 'button', 'image', 'file', 'reset'].includes(type) || (['checkbox', 'radio'].includes(type) && field.attribs.checked === undefined)) continue;
    fields[name] = field.name === 'textarea' ? textOf(found.find(`textarea[name="${name}"]`)) : value;
  }
  return { action: found.attr('action'), fields };
}

function lineIn(line: Scope): MarketplaceOrder['lines'][number] {
  const where = 'in an order line';
  const quantity = Number(textOf(required(line, LINE.quantity, where)));
  if (!Number.isInteger(quantity) || quantity <= 0) throw new PageMismatch('cannot read the quantity of an order line');
  return {
    sku: textOf(required(line, LINE.sku, where)),
    title: textOf(required(line, LINE.title, where)),
    quantity,
    unitPrice: parseMoney(textOf(required(line, LINE.unitPrice, where))).amount,
  };
}

/** One order from a list row or the order page: both use the same field classes. */
function orderIn(scope: Scope): MarketplaceOrder {
  const where = 'in an order';
  const total = optionalText(required(scope, ORDER.total, where));
  const money = total === undefined ? undefined : parseMoney(total);
  const lineElements = scope.find(ORDER.line);
  const lines = lineElements.toArray().map((_, i) => lineIn(lineElements.eq(i)));
  if (lines.length === 0) throw new PageMismatch(`no element matches ${ORDER.line} ${where}`);
  const orderRef = textOf(required(scope, ORDER.ref, where));
  const state = textOf(required(scope, ORDER.state, where));
  if (!orderRef || !state) throw new PageMismatch(`an order without ${orderRef ? 'state' : 'reference'}`);
  const promised = days(required(scope, ORDER.promised, where));
  if (promised.length > 1 && promised[0]! > promised.at(-1)!) throw new PageMismatch(`a promised window that ends before it starts (${promised[0]} to ${promised.at(-1)})`);
  return {
    orderRef,
    state,
    customerName: optionalText(required(scope, ORDER.customer, where)),
    lines,
    total: money?.amount,
    currency: money?.currency,
    carrier: optionalText(required(scope, ORDER.carrier, where)),
    trackingNumber: optionalText(required(scope, ORDER.tracking, where)),
    promisedFrom: promised[0],
    promisedTo: promised.at(-1),
    createdAt: days(required(scope, ORDER.created, where))[0],
  };
}

/** One page of the orders list: its orders, how many match over every page, the next page's link. */
export function parseOrderList(html: string): { orders: MarketplaceOrder[]; count: number; next?: string } {
  const $ = parse(html);
  const count = Number(required($.root(), ORDER_LIST.count, 'on the orders page').attr('data-count'));
  if (!Number.isInteger(count) || count < 0) throw new PageMismatch(`${ORDER_LIST.count} holds no count of orders`);
  required($.root(), ORDER_LIST.table, 'on the orders page');
  const orders = $(ORDER_LIST.row)
    .toArray()
    .map((row) => orderIn($(row)));
  return { orders, count, next: $(ORDER_LIST.next).first().attr('href') };
}

/** An order's page: the order and the refunds made on it. */
export function parseOrderPage(html: string): { order: MarketplaceOrder; refunds: RefundLine[] } {
  const $ = parse(html);
  const order = orderIn(required($.root(), ORDER_PAGE.root, 'on the order page'));
  required($.root(), ORDER_PAGE.refunds, 'on the order page');
  const refunds = $(ORDER_PAGE.refund)
    .toArray()
    .map((element) => {
      const row = $(element);
      const reference = textOf(required(row, ORDER_PAGE.refundRef, 'in a refund'));
      if (!reference) throw new PageMismatch('a refund without reference');
      return {
        reference,
        amount: parseMoney(textOf(required(row, ORDER_PAGE.refundAmount, 'in a refund'))).amount,
        reason: textOf(required(row, ORDER_PAGE.refundReason, 'in a refund')),
      };
    });
  return { order, refunds };
}

/** The refund page of an order: the form and what is left to refund, or why nothing can be. */
export function parseRefundForm(html: string): RefundFormOutcome {
  const $ = parse(html);
  if ($(REFUND_FORM.form).length === 0) {
    const refusal = refundRefusal($);
    if (refusal) return refusal;
    throw new PageMismatch(`no element matches ${REFUND_FORM.form} on the refund page, and no message says why`);
  }
  return { kind: 'form', refundable: parseMoney(textOf(required($.root(), REFUND_FORM.refundable, 'on the refund page'))) };
}

/** The refund page saying why it refused (never an alert of another page, such as the error page). */
function refundRefusal($: CheerioAPI): { kind: 'refused'; message: string } | undefined {
  const message = textOf($(REFUND_FORM.page).find(REFUND_FORM.error).first());
  return message ? { kind: 'refused', message } : undefined;
}

/** The page after the refund form was sent: the confirmation, or the form again with its error. */
export function parseRefundResult(html: string): RefundOutcome {
  const $ = parse(html);
  const reference = textOf($(REFUND_DONE.reference).first());
  if (reference) return { kind: 'done', reference, amount: parseMoney(textOf(required($.root(), REFUND_DONE.amount, 'on the refund confirmation'))) };
  const refusal = refundRefusal($);
  if (refusal) return refusal;
  throw new PageMismatch(`no element matches ${REFUND_DONE.reference} on the page after the refund form, and no message says why`);
}

/** The first link to an order page, for `portal check` to reach one whatever the rows look like. */
export function firstOrderLink(html: string): string | undefined {
  return parse(html)(ORDER_LIST.anyOrderLink).first().attr('href');
}
