import { load } from 'cheerio';
import type { Locator, Page, Request, Response } from 'playwright-core';
import { BLANKED, EMAIL_ADDRESS, PHONE_NUMBER, withoutContactDetails } from './personal-data.ts';
import type { PortalPage } from './portal.ts';
import { type Evidence, RobotError } from './robot-error.ts';

/**
 * How long to wait for an element the server put in the page: it is there as soon as the DOM is,
 * so a short wait is enough, and a changed layout is reported without waiting for the full timeout.
 */
export const SERVER_RENDERED_WAIT_MS = 2000;

const PASSWORD_VALUE = /(<input\b[^>]*\btype=["']?password["']?[^>]*\bvalue=)(["'])[^"']*\2/gi;
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The ways a page may write `text`: as typed, HTML-escaped (`&#39;` or `&#x27;`), URL-encoded. */
function writtenForms(text: string): string[] {
  const escaped = text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
  return [...new Set([text, escaped, escaped.replaceAll('&#39;', '&#x27;'), encodeURIComponent(text)])];
}

/**
 * A portal page or message cleaned before it is kept: the values of password fields, every
 * e-mail address (the login as the portal shows it, a customer's), every phone number, each of
 * `known` (the account's login and password, whatever they look like) in any form a page may
 * write it, and the content of the elements `personalCells` selects: the cells and fields where
 * the robot's portal shows customers' names and addresses, which no pattern can tell from text.
 */
export function blankPersonalData(text: string, known: readonly string[] = [], personalCells: readonly string[] = []): string {
  let blanked = blankCells(text, personalCells);
  // Shorter ones would blank bits of words; an e-mail login is blanked as an address anyway.
  for (const secret of known.filter((value) => value.length >= 4)) {
    for (const form of writtenForms(secret)) blanked = blanked.replace(new RegExp(form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), BLANKED);
  }
  return withoutContactDetails(blanked.replace(PASSWORD_VALUE, '$1$2$2'));
}

/**
 * `html` with the text of each element `selectors` matches (and the value of such a form field)
 * blanked. A page where none matches is returned as it came: re-written by the parser, it would
 * differ from the portal's in ways that do not matter but confuse whoever compares them.
 */
function blankCells(html: string, selectors: readonly string[]): string {
  if (selectors.length === 0) return html;
  // A whole page keeps its <html>, <head> and <body>; a fragment is not wrapped in them.
  const $ = load(html, null, /^\s*<(?:!doctype|html)\b/i.test(html));
  const cells = $(selectors.join(', '));
  if (cells.length === 0) return html;
  cells.filter('input').attr('value', BLANKED);
  cells.not('input').text(BLANKED);
  return $.html();
}

/**
 * Fields and text a screenshot must not show: password and e-mail fields, any element whose own
 * text holds an e-mail address or looks like a phone number (the digit count is not checked here:
 * masking a date too costs nothing), and the robot's `personalCells`. Playwright paints them over
 * before it takes the picture.
 */
function personalDataOn(page: Page, personalCells: readonly string[]): Locator[] {
  const masked = [page.locator('input[type=password], input[type=email], input[type=tel]'), page.getByText(new RegExp(EMAIL_ADDRESS.source, 'i')), page.getByText(new RegExp(PHONE_NUMBER.source))];
  return personalCells.length > 0 ? [...masked, page.locator(personalCells.join(', '))] : masked;
}

/** The robot's personal-data cells of each page of a portal session (`notePersonalCells`). */
const cellsOfPage = new WeakMap<Page, readonly string[]>();

/**
 * Names the elements of `page` that show customers' personal data (the robot's `personalCells`):
 * every evidence later taken of the page blanks and masks them, however deep in the kit's steps it
 * is taken. The portal sessions note them on each page they hand a robot.
 */
export function notePersonalCells(page: Page, personalCells: readonly string[]): void {
  cellsOfPage.set(page, personalCells);
}

/** What a manager needs to see a portal step fail: where, the page as it was, and a screenshot. */
export async function pageEvidence(page: Page, step: string, method = 'GET'): Promise<Evidence> {
  const personalCells = cellsOfPage.get(page) ?? [];
  const [html, screenshot] = await Promise.all([
    page.content().catch(() => ''),
    page.screenshot({ type: 'png', fullPage: true, mask: personalDataOn(page, personalCells) }).catch(() => undefined),
  ]);
  return { step, request: { method, url: page.url().split('?')[0] ?? '' }, html: blankPersonalData(html, [], personalCells), screenshot: screenshot?.toString('base64') };
}

/**
 * The same evidence from a page's HTML alone (read over plain HTTP, or kept by a step): no
 * screenshot. The robot's personal-data cells are blanked by the portal sessions as the error leaves.
 */
export function htmlEvidence(page: PortalPage): Evidence {
  return { step: page.step, request: { method: page.method, url: page.url.split('?')[0] ?? page.url }, status: page.status, html: blankPersonalData(page.html) };
}

/** The page a browser step ended on, for parse.ts; `answer` is the request that drew it. */
export async function readPage(page: Page, step: string, answer: { method: string; status: number }): Promise<PortalPage> {
  return { step, method: answer.method, url: page.url(), status: answer.status, html: await page.content() };
}

/**
 * Runs one named step of a portal flow. A RobotError leaves with the step's name in its evidence;
 * a Playwright timeout (a page or an answer that did not come) becomes PORTAL_PAGE_ERROR with
 * the page as it was. Anything else is a bug and leaves with its stack, but its message cut to
 * a safe first line (`safeError`): a Playwright message quotes the values a step typed.
 */
export async function runStep<T>(page: Page, name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RobotError) throw namedAfterStep(error, name);
    if (isTimeout(error)) {
      throw new RobotError('PORTAL_PAGE_ERROR', `${name}: the portal did not answer in time (${playwrightReason(error)})`, { evidence: await pageEvidence(page, name), cause: safeError(error) });
    }
    throw safeError(error);
  }
}

/** `error` with step `name` in its message and evidence, unless a step named it already. */
export function namedAfterStep(error: RobotError, name: string): RobotError {
  if (error.evidence?.step) return error;
  return new RobotError(error.code, `${name}: ${error.message}`, { evidence: { ...error.evidence, step: name }, retryAfterMs: error.retryAfterMs, cause: error.cause });
}

/** Playwright's TimeoutError, known by its name: importing Playwright here would load it in every process. */
function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

// Terminal colours of Playwright's call log, and a quoted argument of an action (`fill("...")`).
const ANSI_COLOUR = /\u001b\[[0-9;]*m/g;
const QUOTED_ARGUMENT = /\(\s*"(?:[^"\\]|\\.)*"/g;

/**
 * What a Playwright error says went wrong, safe for a message: its first line, quoted arguments
 * blanked. The lines after it are a call log that quotes every value typed (`fill("<password>")`),
 * and error messages end up in logs, exceptions and the follow-up audit.
 */
export function playwrightReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '').replace(ANSI_COLOUR, '').replace(QUOTED_ARGUMENT, `("${BLANKED}"`);
}

/**
 * `error` as it may be logged and kept as a cause: same name, message cut to `playwrightReason`,
 * the stack's frames without the message they start with, and no cause of its own.
 */
function safeError(error: unknown): Error {
  const safe = new Error(playwrightReason(error));
  if (!(error instanceof Error)) return safe;
  safe.name = error.name;
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  safe.stack = [`${safe.name}: ${safe.message}`, ...frames].join('\n');
  return safe;
}

/**
 * Types `value` into the form field `selector` (waiting `timeoutMs` for it to be in the page).
 * A field that is there but never takes the value (hidden, read-only) is a changed layout:
 * final, with the page as evidence. The value is never part of an error: it may be a password.
 */
export async function fillField(page: Page, selector: string, value: string, step: string, timeoutMs = SERVER_RENDERED_WAIT_MS): Promise<void> {
  const field = await requireElement(page, selector, step, timeoutMs);
  try {
    await field.fill(value);
  } catch (error) {
    if (!isTimeout(error)) throw safeError(error);
    throw new RobotError('PORTAL_LAYOUT_CHANGED', `${step}: ${selector} is on the page but cannot be filled in (hidden, disabled or read-only): the portal's layout changed`, {
      evidence: await pageEvidence(page, step),
      cause: safeError(error),
    });
  }
}

/**
 * Opens `url` as step `step`. A page that does not load in time or answers a server error is a
 * passing fault (PORTAL_PAGE_ERROR, retried); the answer's status is returned for the robot. A
 * page the portal redirects to another host is HOST_NOT_ALLOWED, final: the portal sessions'
 * guard refuses the hop (src/infra/browser-host-guard.ts), which the browser reports as a page
 * that did not load, and retrying would meet the same redirect.
 */
export async function openPage(page: Page, url: string, step: string): Promise<number> {
  const request = { method: 'GET', url: url.split('?')[0] ?? url };
  const redirects = watchRedirects(page, url);
  let status: number;
  try {
    status = (await page.goto(url, { waitUntil: 'domcontentloaded' }))?.status() ?? 0;
  } catch (error) {
    // The portal sessions abort a request to any host but the portal's with this reason (src/infra/browser-host-guard.ts).
    if ((error as Error).message.includes('net::ERR_BLOCKED_BY_CLIENT')) {
      throw new RobotError('HOST_NOT_ALLOWED', `${step}: ${new URL(url).origin} is not the portal's host: not opened`, { evidence: { step, request }, cause: safeError(error) });
    }
    const hop = redirects.offOrigin();
    if (hop) throw redirectedOffHost(hop.origin, { step, request }, safeError(error));
    throw new RobotError('PORTAL_PAGE_ERROR', `${step}: the portal page did not load (${playwrightReason(error)})`, { evidence: { step, request }, cause: safeError(error) });
  } finally {
    redirects.stop();
  }
  // Loaded all the same (a context without the guard): not read either.
  const hop = redirects.offOrigin();
  if (hop) throw redirectedOffHost(hop.origin, { step, request });
  if (status >= 500) throw new RobotError('PORTAL_PAGE_ERROR', `${step}: the portal answered HTTP ${status}`, { evidence: { ...(await pageEvidence(page, step)), status } });
  return status;
}

/** The first redirect of a page's navigation that left the portal's origin: where to (the origin only), and from which request. */
interface OffOriginHop {
  origin: string;
  from: { method: string; url: string };
}

/**
 * Watches the redirects of `page`'s navigations until `stop()`: `offOrigin()` is the first hop
 * that left `url`'s origin, if any, and `left` resolves with it as it is requested. The origin
 * only, and addresses without their query: a redirect's address may carry a token.
 */
function watchRedirects(page: Page, url: string): { offOrigin(): OffOriginHop | undefined; left: Promise<OffOriginHop>; stop(): void } {
  const origin = new URL(url).origin;
  let hop: OffOriginHop | undefined;
  let reportHop: (hop: OffOriginHop) => void = () => {};
  const left = new Promise<OffOriginHop>((resolve) => (reportHop = resolve));
  const onRequest = (request: Request) => {
    const from = request.redirectedFrom();
    if (hop || !from || !request.isNavigationRequest() || request.frame() !== page.mainFrame()) return;
    const to = new URL(request.url()).origin;
    if (to === origin) return;
    hop = { origin: to, from: { method: from.method(), url: from.url().split('?')[0] ?? from.url() } };
    reportHop(hop);
  };
  page.on('request', onRequest);
  return { offOrigin: () => hop, left, stop: () => void page.off('request', onRequest) };
}

/**
 * HOST_NOT_ALLOWED, final, for a page the portal redirected to `elsewhere`, another origin: the
 * hop is not followed, and retrying would meet the same redirect. In a browser or over HTTP alike.
 */
export function redirectedOffHost(elsewhere: string, evidence: Evidence, cause?: Error): RobotError {
  const step = evidence.step ? `${evidence.step}: ` : '';
  return new RobotError('HOST_NOT_ALLOWED', `${step}the portal redirected the page to ${elsewhere}, which is not the portal's host: not followed`, { evidence, cause });
}

/**
 * Clicks a form's submit button and waits for the page it leads to (after redirects): the request
 * that drew it is returned (a POST answered with its own page, or the GET a redirect led to). A
 * server error is PORTAL_PAGE_ERROR, as for a page opened directly. An answer that redirects to
 * another host is HOST_NOT_ALLOWED, final, as soon as the hop is asked for: the portal sessions'
 * guard refuses it (the browser then shows an error page, or none comes at all), and a form sent
 * again would meet the same redirect.
 */
export async function submitForm(page: Page, button: string, step: string): Promise<{ method: string; status: number }> {
  const submit = await requireElement(page, button, step, SERVER_RENDERED_WAIT_MS);
  const isRedirect = (status: number) => status >= 300 && status < 400;
  const redirects = watchRedirects(page, page.url());
  const navigated = Promise.all([
    page.waitForResponse((answer) => answer.frame() === page.mainFrame() && answer.request().isNavigationRequest() && !isRedirect(answer.status())),
    page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() }),
    submit.click(),
  ]).then(([response]) => response);
  // Left waiting for a page that will not come once the hop was refused: its failure is no news.
  navigated.catch(() => {});
  let outcome: { response: Response } | { hop: OffOriginHop };
  try {
    outcome = await Promise.race([navigated.then((response) => ({ response })), redirects.left.then((hop) => ({ hop }))]);
  } finally {
    redirects.stop();
  }
  if ('hop' in outcome) throw redirectedOffHost(outcome.hop.origin, { step, request: outcome.hop.from });
  await page.waitForLoadState('domcontentloaded');
  const answer = { method: outcome.response.request().method(), status: outcome.response.status() };
  if (answer.status >= 500) throw new RobotError('PORTAL_PAGE_ERROR', `${step}: the portal answered HTTP ${answer.status}`, { evidence: { ...(await pageEvidence(page, step, answer.method)), status: answer.status } });
  return answer;
}

/**
 * The element a step cannot do without. Missing once the page has loaded means the portal's
 * layout changed: final, with a screenshot and the page HTML, never a silent empty answer.
 */
export async function requireElement(page: Page, selector: string, step: string, timeoutMs = 5000): Promise<Locator> {
  const element = page.locator(selector).first();
  try {
    await element.waitFor({ state: 'attached', timeout: timeoutMs });
    return element;
  } catch (error) {
    throw new RobotError('PORTAL_LAYOUT_CHANGED', `${step}: no element matches ${selector}: the portal's layout changed`, { evidence: await pageEvidence(page, step), cause: safeError(error) });
  }
}

/** The address of `path` on the portal, keeping the base URL's own path (`https://host/pro` + `/login`). */
export function portalUrl(baseUrl: string, path: string): string {
  return new URL(path.replace(/^\//, ''), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
}
