import { checkSelectors, openPage, type Page, pageNotReached, portalUrl, RobotError, runStep, type SelectorCheck } from '../../src/robot-kit/index.ts';
import { CLAIM_FORM_PAGE, CLAIM_PAGE, CLAIM_ROWS, CLAIMS_PAGE, LOGIN_PAGE, PARCEL_PAGE, PATHS, RETURN_FORM_PAGE, SEARCH_PAGE } from './selectors.ts';
import { throwOnLoginPage } from './steps.ts';

/**
 * Opens every page the robot uses and checks each of its selectors (selectors.ts), changing
 * nothing: only pages reached by following links, no form sent. The login page is opened on
 * `loggedOut`'s page, in a context of its own, so the logged-in session is not touched. A page that does not load (an
 * error page, no link to it) is reported as not reached and the check goes on; a session that
 * ended fails the check as it would fail a job (the runtime logs in again once), and so does a
 * page the portal redirects to another host (HOST_NOT_ALLOWED, final in a job too).
 */
export async function checkPages(page: Page, baseUrl: string, timeoutMs: number, loggedOut: LoggedOutPage): Promise<SelectorCheck[]> {
  const checks: SelectorCheck[] = [...(await loggedOut((loginPage) => checkLoginPage(loginPage, baseUrl)))];
  /** Opens `url` (or takes the reason nothing leads there) and checks `selectors` on what it shows. */
  const check = async (name: string, selectors: Record<string, string>, url: string | { reason: string }, settle?: () => Promise<void>) => {
    const reason = typeof url === 'string' ? await visit(page, name, url) : url.reason;
    if (reason === undefined) await settle?.();
    checks.push(...(reason === undefined ? checkSelectors(name, selectors, await page.content()) : pageNotReached(name, selectors, reason)));
    return reason === undefined;
  };
  const firstLink = async (selector: string, on: string): Promise<string | { reason: string }> => {
    const link = page.locator(selector).first();
    const href = (await link.count()) > 0 ? await link.getAttribute('href') : null;
    return href === null ? { reason: `no link to it on the ${on} page` } : new URL(href, page.url()).toString();
  };

  // Without a query the search lists recent shipments: results to check, and a parcel to open.
  // Its script draws them once its own request answered: wait for the network to go quiet,
  // which does not depend on the very selectors being checked.
  const searched = await check('search', SEARCH_PAGE, portalUrl(baseUrl, PATHS.search('')), () => page.waitForLoadState('networkidle', { timeout: timeoutMs }).catch(() => {}));
  await check('parcel', PARCEL_PAGE, searched ? await firstLink(SEARCH_PAGE.link, 'search') : { reason: 'the search page was not reached' });
  await check('claim form', CLAIM_FORM_PAGE, portalUrl(baseUrl, PATHS.claimForm('')));
  // Before the account's first claim there is no row, nor a claim page, to check.
  if ((await check('claims', CLAIMS_PAGE, portalUrl(baseUrl, PATHS.claims))) && (await page.locator(CLAIM_ROWS.row).count()) > 0) {
    checks.push(...checkSelectors('claims', CLAIM_ROWS, await page.content()));
    await check('claim', CLAIM_PAGE, await firstLink(`${CLAIM_ROWS.row} ${CLAIM_ROWS.referenceLink}`, 'claims'));
  }
  await check('return form', RETURN_FORM_PAGE, portalUrl(baseUrl, PATHS.returnForm('')));
  return checks;
}

/**
 * Opens a page to check it: undefined once it is there, else why not (an error page, no answer in
 * time). A logged-in page that shows the login form is a session that ended: thrown.
 */
async function visit(page: Page, name: string, url: string, loggedIn = true): Promise<string | undefined> {
  try {
    return await runStep(page, `check ${name}`, async () => {
      // The pages are drawn by the server: complete once loaded, nothing to wait for.
      const status = await openPage(page, url, `check ${name}`);
      if (loggedIn) await throwOnLoginPage(page, `check ${name}`);
      return status >= 400 ? `HTTP ${status}` : undefined;
    });
  } catch (error) {
    if (error instanceof RobotError && error.code === 'PORTAL_PAGE_ERROR') return error.message;
    throw error;
  }
}

/** Runs `work` on a page of the portal without the account's session (PortalSessions.withLoggedOutPage). */
export type LoggedOutPage = <T>(work: (page: Page) => Promise<T>) => Promise<T>;

/** The login page as a logged-out visitor sees it. */
async function checkLoginPage(loginPage: Page, baseUrl: string): Promise<SelectorCheck[]> {
  const reason = await visit(loginPage, 'login', portalUrl(baseUrl, PATHS.login), false);
  return reason === undefined ? checkSelectors('login', LOGIN_PAGE, await loginPage.content()) : pageNotReached('login', LOGIN_PAGE, reason);
}
