import type { MarketplaceOrder, OrderQuery, RefundReceipt, RefundRequest } from '../../src/domain/marketplace-order.ts';
import { checkSelectors, pageNotReached, type PortalPage, RobotError, type SelectorCheck } from '../../src/robot-kit/index.ts';
import { type PortalDriver, parsed } from './driver.ts';
import { alertText, firstOrderLink, isLoginPage, loginOutcome, PageMismatch, parseOrderList, parseOrderPage, parseRefundForm, parseRefundResult } from './parse.ts';
import { type CheckedPage, LOGIN, PAGE_CHECKS, PATHS, REFUND_FORM } from './selectors.ts';

// The robot's steps, the same in HTTP and browser mode: each names its step in its errors.

/** Signs in: the sign-in page, then its form. A refusal is final (the runtime never retries it). */
export async function logIn(driver: PortalDriver, credentials: { login: string; password: string }): Promise<void> {
  const form = await driver.open(PATHS.login, 'open login page');
  const answer = formAnswered(await driver.submit(form, LOGIN.form, { email: credentials.login, password: credentials.password }, 'submit login'));
  const outcome = await parsed(driver, answer, loginOutcome);
  if (outcome.kind === 'signed-in') return;
  throw new RobotError(outcome.kind === 'locked' ? 'PORTAL_ACCOUNT_LOCKED' : 'PORTAL_LOGIN_REFUSED', `submit login: the seller portal refused the sign-in: ${outcome.message}`, {
    evidence: await driver.evidence(answer),
  });
}

/** Every order matching `query`, every page of the list read. */
export async function listOrders(driver: PortalDriver, query: OrderQuery): Promise<MarketplaceOrder[]> {
  const byRef = new Map<string, MarketplaceOrder>();
  const opened = new Set<string>();
  let target: string | undefined = ordersPath(query);
  let count: number | undefined;
  let page: PortalPage | undefined;
  for (let n = 1; target !== undefined; n++) {
    page = await visit(driver, target, `open orders page ${n}`);
    if (page.status === 400) throw new RobotError('CARRIER_BAD_REQUEST', `${page.step}: the portal refused the filters: ${alertText(page.html) || 'HTTP 400'}`);
    const list = await parsed(driver, page, parseOrderList);
    if (count !== undefined && list.count !== count) {
      throw new RobotError('PORTAL_PAGE_ERROR', `${page.step}: the orders changed while the list was read (${count} then ${list.count} orders): read it again`);
    }
    count = list.count;
    for (const order of list.orders) byRef.set(order.orderRef, order);
    opened.add(page.url);
    target = list.next === undefined ? undefined : new URL(list.next, page.url).toString();
    if (target !== undefined && opened.has(target)) throw await layoutChanged(driver, page, 'the next-page link leads back to a page already read');
  }
  // A next-page link that no longer matches would end the list early and silently: the count says so.
  if (page && byRef.size !== count) throw await layoutChanged(driver, page, `read ${byRef.size} of the ${count} orders the portal counts: the next-page link no longer matches`);
  return [...byRef.values()];
}

/** An order's page; undefined when the portal has no such order. */
export async function readOrder(driver: PortalDriver, orderRef: string): Promise<MarketplaceOrder | undefined> {
  const page = await visit(driver, PATHS.order(orderRef), 'open order');
  if (page.status === 404) return undefined;
  return (await parsed(driver, page, parseOrderPage)).order;
}

/**
 * Whether the refund form was sent during this call. The runtime runs the steps again after a
 * new sign-in; a refund must not be sent twice, so the second run looks for it instead.
 */
export interface RefundAttempt {
  sent: boolean;
}

export async function refund(driver: PortalDriver, request: RefundRequest, attempt: RefundAttempt): Promise<RefundReceipt> {
  checkRefundRequest(request);
  if (attempt.sent) return refundSentBefore(driver, request);
  const formPage = await visit(driver, PATHS.refundForm(request.orderRef), 'open refund form');
  if (formPage.status === 404) throw new RobotError('CARRIER_BAD_REQUEST', `open refund form: the seller portal has no order ${request.orderRef}`);
  const form = await parsed(driver, formPage, parseRefundForm);
  if (form.kind === 'refused') throw await refundRefused(driver, formPage, request, form.message);
  if (form.refundable.currency !== request.currency) {
    throw new RobotError('CARRIER_BAD_REQUEST', `open refund form: order ${request.orderRef} is in ${form.refundable.currency}, the refund was asked in ${request.currency}`);
  }
  attempt.sent = true;
  const answer = signedIn(formAnswered(await driver.submit(formPage, REFUND_FORM.form, { amount: request.amount.toFixed(2), reason: request.reason }, 'submit refund')));
  const result = await parsed(driver, answer, parseRefundResult);
  if (result.kind === 'refused') throw await refundRefused(driver, answer, request, result.message);
  return { orderRef: request.orderRef, reference: result.reference, amount: result.amount.amount };
}

/**
 * Logs in (the runtime does) and reads every page the robot uses, checking its required
 * selectors. A page that cannot be opened (an error page, no order to link to) is reported as not
 * reached, and the check goes on; a session that ended is the runtime's, as in any other call.
 */
export async function checkPortal(driver: PortalDriver): Promise<SelectorCheck[]> {
  const login = await reach(driver, 'login', PATHS.login);
  const orders = await reach(driver, 'orders', PATHS.orders);
  const link = 'page' in orders ? firstOrderLink(orders.page.html) : undefined;
  const order = await reach(driver, 'order', link && 'page' in orders ? new URL(link, orders.page.url).toString() : { reason: 'no order link on the orders page' });
  const orderRef = 'page' in order ? decodeURIComponent(new URL(order.page.url).pathname.split('/').pop() ?? '') : undefined;
  const refundForm = await reach(driver, 'refund form', orderRef ? PATHS.refundForm(orderRef) : { reason: 'no order page to take the order reference from' });
  return [login, orders, order, refundForm].flatMap((reached) => ('page' in reached ? checkSelectors(reached.name, PAGE_CHECKS[reached.name], reached.page.html) : pageNotReached(reached.name, PAGE_CHECKS[reached.name], reached.reason)));
}

type Reached = { name: CheckedPage } & ({ page: PortalPage } | { reason: string });

/** A page for `portal check`, or why it could not be opened; `target` is already the reason when nothing leads there. */
async function reach(driver: PortalDriver, name: CheckedPage, target: string | { reason: string }): Promise<Reached> {
  if (typeof target !== 'string') return { name, reason: target.reason };
  try {
    const page = name === 'login' ? await driver.open(target, 'check login page') : await visit(driver, target, `check ${name} page`);
    return page.status >= 400 ? { name, reason: `HTTP ${page.status}` } : { name, page };
  } catch (error) {
    if (error instanceof RobotError && error.code === 'PORTAL_PAGE_ERROR') return { name, reason: error.message };
    throw error;
  }
}

/** Opens a page of the signed-in portal. */
async function visit(driver: PortalDriver, target: string, step: string): Promise<PortalPage> {
  return signedIn(await driver.open(target, step));
}

/** The sign-in page where another was expected: the session ended (the runtime signs in again once). */
function signedIn(page: PortalPage): PortalPage {
  if (isLoginPage(page.html)) throw new RobotError('PORTAL_SESSION_EXPIRED', `${page.step}: the portal showed its sign-in page: the session ended`, { evidence: { step: page.step } });
  return page;
}

/** A form turned away as a whole (its CSRF token no longer valid): sent again with a fresh form, later. */
function formAnswered(page: PortalPage): PortalPage {
  if (page.status === 403) throw new RobotError('PORTAL_PAGE_ERROR', `${page.step}: the portal refused the form (HTTP 403): ${alertText(page.html) || 'no reason given'}`, { evidence: { step: page.step, status: 403 } });
  return page;
}

async function layoutChanged(driver: PortalDriver, page: PortalPage, message: string): Promise<RobotError> {
  return new RobotError('PORTAL_LAYOUT_CHANGED', `${page.step}: ${message} (fix robots/seller-portal/selectors.ts)`, { evidence: await driver.evidence(page), cause: new PageMismatch(message) });
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function ordersPath(query: OrderQuery): string {
  const params = new URLSearchParams();
  for (const state of query.states ?? []) params.append('state', state);
  for (const [name, day] of [['from', query.from] as const, ['to', query.to] as const]) {
    if (day === undefined) continue;
    if (!DAY.test(day)) throw new RobotError('CARRIER_BAD_REQUEST', `listOrders: ${name} must be a day written YYYY-MM-DD`);
    params.set(name, day);
  }
  const search = params.toString();
  return search ? `${PATHS.orders}?${search}` : PATHS.orders;
}

function checkRefundRequest(request: RefundRequest): void {
  if (!Number.isFinite(request.amount) || request.amount <= 0 || Math.abs(Math.round(request.amount * 100) - request.amount * 100) > 1e-6) {
    throw new RobotError('CARRIER_BAD_REQUEST', `refund: the amount must be above 0 with at most 2 decimals`);
  }
  if (request.reason.trim() === '') throw new RobotError('CARRIER_BAD_REQUEST', 'refund: a reason is required');
}

/** The portal turned the refund down (more than the order's total, a cancelled order): a business answer, final. */
async function refundRefused(driver: PortalDriver, page: PortalPage, request: RefundRequest, message: string): Promise<RobotError> {
  return new RobotError('REQUEST_REFUSED', `${page.step}: the seller portal refused to refund ${request.amount.toFixed(2)} ${request.currency} on ${request.orderRef}: ${message}`, {
    evidence: await driver.evidence(page),
  });
}

/** A refund made before on the order (same amount and reason), as its page lists it; undefined when there is none. */
export async function findRefund(driver: PortalDriver, request: RefundRequest): Promise<RefundReceipt | undefined> {
  return (await lookForRefund(driver, request, 'look for a refund made before')).receipt;
}

/** After a new sign-in, a refund already sent is looked for on the order's page, never sent again. */
async function refundSentBefore(driver: PortalDriver, request: RefundRequest): Promise<RefundReceipt> {
  const { receipt, page } = await lookForRefund(driver, request, 'look for the refund sent');
  if (receipt) return receipt;
  throw new RobotError('PORTAL_PAGE_ERROR', `${page.step}: the session ended as the refund form was sent and order ${request.orderRef} shows no such refund; it was not sent twice`, {
    evidence: await driver.evidence(page),
  });
}

async function lookForRefund(driver: PortalDriver, request: RefundRequest, step: string): Promise<{ receipt?: RefundReceipt; page: PortalPage }> {
  const page = await visit(driver, PATHS.order(request.orderRef), step);
  if (page.status === 404) throw new RobotError('CARRIER_BAD_REQUEST', `${step}: the seller portal has no order ${request.orderRef}`);
  const { refunds } = await parsed(driver, page, parseOrderPage);
  const reason = request.reason.replace(/\s+/g, ' ').trim();
  const made = refunds.findLast((line) => Math.round(line.amount * 100) === Math.round(request.amount * 100) && line.reason === reason);
  return { receipt: made && { orderRef: request.orderRef, reference: made.reference, amount: made.amount }, page };
}
