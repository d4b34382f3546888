import { setTimeout as sleep } from 'node:timers/promises';
import { Secret, TOTP } from 'otpauth';
import type { ClaimRequest } from '../../src/domain/claim.ts';
import {
  type Clock,
  fillField,
  type OneTimeCodes,
  openPage,
  type Page,
  pageEvidence,
  type PortalAccount,
  type PortalPage,
  portalUrl,
  readPage,
  requireElement,
  RobotError,
  runStep,
  SERVER_RENDERED_WAIT_MS,
  submitForm,
} from '../../src/robot-kit/index.ts';
import { parseLoginOutcome } from './parse.ts';
import {
  CLAIM_FORM_PAGE,
  CLAIM_PAGE,
  CLAIMS_PAGE,
  CODE_PAGE,
  FORM_STATES,
  LOGIN_PAGE,
  PARCEL_PAGE,
  PATHS,
  RETURN_FORM_PAGE,
  RETURN_LABEL_PAGE,
  SEARCH_PAGE,
  SEARCH_STATES,
} from './selectors.ts';
import { landed, openLoggedIn } from './steps.ts';

/**
 * The relay portal's flows in a browser, one named step at a time. Each returns the page it ends
 * on (parse.ts reads it); none reads the pages' content itself, but for the login's outcome.
 */

/**
 * E-mail and password, then the authenticator code when the portal asks for one. A code is good
 * once, and none older than the last taken: each login takes a period no process of this
 * installation used (`freshCode`). Another installation on the same account may have used it
 * all the same: a refused code is tried once more with a later period's; only then is the login
 * refused.
 */
export async function logIn(page: Page, account: PortalAccount, clock: Clock, codes: OneTimeCodes): Promise<void> {
  await runStep(page, 'open login page', async () => {
    await openPage(page, portalUrl(account.baseUrl, PATHS.login), 'open login page');
    await requireElement(page, LOGIN_PAGE.form, 'open login page', SERVER_RENDERED_WAIT_MS);
  });
  let answer = await runStep(page, 'log in', async () => {
    await fillField(page, LOGIN_PAGE.email, account.login, 'log in');
    await fillField(page, LOGIN_PAGE.password, account.password, 'log in');
    return readPage(page, 'log in', await submitForm(page, LOGIN_PAGE.submit, 'log in'));
  });
  let outcome = parseLoginOutcome(answer);
  if (outcome === 'code') {
    const secret = account.totpSecret;
    if (!secret) throw new RobotError('ROBOT_NOT_CONFIGURED', 'the relay portal asks this account for an authenticator code: set RELAY_PORTAL_TOTP_SECRET to its secret (the base32 key shown when the authenticator was set up)');
    const totp = new TOTP({ secret: Secret.fromBase32(secret) });
    let earliest = 0;
    for (let attempt = 1; attempt <= 2; attempt++) {
      const { period, code } = await freshCode(totp, clock, codes, earliest);
      answer = await enterCode(page, code);
      outcome = parseLoginOutcome(answer);
      if (outcome !== 'refused') break;
      earliest = period + 1;
    }
  }
  if (outcome === 'session-ended') {
    // Not a refusal: nothing was judged. The session manager logs in again once.
    throw new RobotError('PORTAL_SESSION_EXPIRED', `${answer.step}: the portal showed its sign-in form again: the session ended during the login`, { evidence: await pageEvidence(page, answer.step, answer.method) });
  }
  if (outcome === 'locked') {
    throw new RobotError('PORTAL_ACCOUNT_LOCKED', 'the relay portal says the account is locked: someone must unlock it with the carrier before the robot logs in again', { evidence: await pageEvidence(page, answer.step, answer.method) });
  }
  if (outcome !== 'logged-in') {
    const what = answer.step === 'enter code' ? 'the authenticator code: check RELAY_PORTAL_TOTP_SECRET and the clock' : 'the login: check RELAY_PORTAL_LOGIN and RELAY_PORTAL_PASSWORD';
    throw new RobotError('PORTAL_LOGIN_REFUSED', `the relay portal refused ${what}`, { evidence: await pageEvidence(page, answer.step, answer.method) });
  }
}

function enterCode(page: Page, code: string): Promise<PortalPage> {
  return runStep(page, 'enter code', async () => {
    await fillField(page, CODE_PAGE.code, code, 'enter code');
    return readPage(page, 'enter code', await submitForm(page, CODE_PAGE.submit, 'enter code'));
  });
}

/** How often a login waiting for a fresh period looks at the clock again. */
const PERIOD_POLL_MS = 1000;

/**
 * The code of the first period, from `earliest` on, that no login used: this period's, else the
 * next one's (the portal takes it early, allowing for a period of clock drift), else it waits for
 * a period to start rather than enter a code the portal would refuse as used: refusals lock the
 * account, and a refused login is final.
 */
async function freshCode(totp: TOTP, clock: Clock, codes: OneTimeCodes, earliest: number): Promise<{ period: number; code: string }> {
  const periodMs = totp.period * 1000;
  for (;;) {
    const now = clock.now().getTime();
    const current = Math.floor(now / periodMs);
    for (let period = Math.max(current, earliest); period <= current + 1; period++) {
      if (await codes.spend(period)) return { period, code: totp.generate({ timestamp: period * periodMs }) };
    }
    await sleep(Math.min(PERIOD_POLL_MS, (current + 1) * periodMs - now));
  }
}

/** The search page once its script drew the results for `trackingNumber`. */
export async function searchParcel(page: Page, baseUrl: string, trackingNumber: string, timeoutMs: number): Promise<PortalPage> {
  await openLoggedIn(page, portalUrl(baseUrl, PATHS.search(trackingNumber)), 'search parcel', SEARCH_PAGE.form);
  return runStep(page, 'search parcel', async () => {
    // Drawn after a JSON call: wait as long as a page may take, not just for the DOM.
    await landed(page, `${SEARCH_PAGE.item}, ${SEARCH_STATES.none}, ${SEARCH_STATES.failed}`, 'search parcel', timeoutMs);
    if ((await page.locator(SEARCH_STATES.failed).count()) > 0) {
      throw new RobotError('PORTAL_PAGE_ERROR', "search parcel: the portal's search failed and asks to try again: tried again later", { evidence: await pageEvidence(page, 'search parcel') });
    }
    return readPage(page, 'search parcel', { method: 'GET', status: 200 });
  });
}

export function openParcel(page: Page, url: string): Promise<PortalPage> {
  return openLoggedIn(page, url, 'read parcel', PARCEL_PAGE.events);
}

/** Fills and sends the claim form; ends on the claim's page, or on the form with its errors. */
export async function sendClaim(page: Page, baseUrl: string, claim: ClaimRequest): Promise<PortalPage> {
  await openLoggedIn(page, portalUrl(baseUrl, PATHS.claimForm(claim.trackingNumber)), 'open claim form', CLAIM_FORM_PAGE.form);
  return runStep(page, 'send claim', async () => {
    const field = (selector: string) => requireElement(page, selector, 'send claim', SERVER_RENDERED_WAIT_MS);
    await (await field(CLAIM_FORM_PAGE.type)).selectOption(claim.type);
    await fillField(page, CLAIM_FORM_PAGE.trackingNumber, claim.trackingNumber, 'send claim');
    await fillField(page, CLAIM_FORM_PAGE.declaredValue, claim.declaredValue.toFixed(2), 'send claim');
    await fillField(page, CLAIM_FORM_PAGE.description, claim.description, 'send claim');
    if (claim.evidencePdf) {
      const { fileName, content } = claim.evidencePdf;
      await (await field(CLAIM_FORM_PAGE.evidence)).setInputFiles({ name: fileName, mimeType: 'application/pdf', buffer: content });
    }
    const answer = await submitForm(page, CLAIM_FORM_PAGE.submit, 'send claim');
    await landed(page, `${CLAIM_PAGE.reference}, ${FORM_STATES.error}`, 'send claim');
    return readPage(page, 'send claim', answer);
  });
}

export function openClaimsPage(page: Page, url: string): Promise<PortalPage> {
  return openLoggedIn(page, url, 'read claims', CLAIMS_PAGE.table);
}

/** Asks for the parcel's return label; ends on the label's page, or on the form with its error. */
export async function createReturnLabel(page: Page, baseUrl: string, trackingNumber: string): Promise<PortalPage> {
  await openLoggedIn(page, portalUrl(baseUrl, PATHS.returnForm(trackingNumber)), 'open return form', RETURN_FORM_PAGE.form);
  return runStep(page, 'create return label', async () => {
    await fillField(page, RETURN_FORM_PAGE.trackingNumber, trackingNumber, 'create return label');
    const answer = await submitForm(page, RETURN_FORM_PAGE.submit, 'create return label');
    await landed(page, `${RETURN_LABEL_PAGE.returnNumber}, ${FORM_STATES.error}`, 'create return label');
    return readPage(page, 'create return label', answer);
  });
}

const PDF_MAGIC = Buffer.from('%PDF-');

/**
 * Downloads the label through the page's own cookies (the context's request API): redirects are
 * not followed, so a session that ended shows as the portal's redirect to its login page.
 */
export async function downloadLabel(page: Page, url: string, timeoutMs: number): Promise<{ pdf: Buffer; fileName?: string }> {
  const name = 'download return label';
  return runStep(page, name, async () => {
    const response = await page.request.get(url, { maxRedirects: 0, failOnStatusCode: false, timeout: timeoutMs });
    const status = response.status();
    const request = { method: 'GET', url: url.split('?')[0] ?? url };
    const location = response.headers().location;
    if (status >= 300 && status < 400 && location && new URL(location, url).pathname.endsWith(PATHS.login)) {
      throw new RobotError('PORTAL_SESSION_EXPIRED', `${name}: the portal asked to log in again`, { evidence: { step: name, request, status } });
    }
    if (status >= 500) throw new RobotError('PORTAL_PAGE_ERROR', `${name}: the portal answered HTTP ${status}`, { evidence: { step: name, request, status } });
    const pdf = await response.body();
    if (status !== 200 || !pdf.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) {
      throw new RobotError('CARRIER_BAD_PAYLOAD', `${name}: the portal answered HTTP ${status} with no PDF`, { evidence: { step: name, request, status, body: pdf.toString('latin1') } });
    }
    const fileName = /filename="?([^";]+)"?/.exec(response.headers()['content-disposition'] ?? '')?.[1];
    return fileName ? { pdf, fileName } : { pdf };
  });
}
