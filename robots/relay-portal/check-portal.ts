import { openPage, type Page, portalUrl, runStep, type SelectorCheck } from '../../src/robot-kit/index.ts';
import { CLAIM_FORM_PAGE, CLAIM_PAGE, CLAIM_ROWS, CLAIMS_PAGE, LOGIN_PAGE, PARCEL_PAGE, PATHS, RETURN_FORM_PAGE, SEARCH_PAGE } from './selectors.ts';
import { throwOnLoginPage } from './steps.ts';

/**
 * Opens every page the robot uses and checks each of its selectors (selectors.ts), changing
 * nothing: only pages reached by following links, no form sent. The login page is opened in a
 * context of its own, so the logged-in session is not touched. A page that does not load, or a
 * session that ended, fails the check as it would fail a job.
 */
export async function checkPages(page: Page, baseUrl: string, timeoutMs: number): Promise<SelectorCheck[]> {
  const checks: SelectorCheck[] = [...(await checkLoginPage(page, baseUrl))];
  const check = async (name: string, selectors: Record<string, string>) => {
    for (const [key, selector] of Object.entries(selectors)) checks.push({ page: name, name: key, selector, found: (await page.locator(selector).count()) > 0 });
  };
  const visit = (name: string, url: string) =>
    runStep(page, `check ${name}`, async () => {
      // The pages are drawn by the server: complete once loaded, nothing to wait for.
      await openPage(page, url, `check ${name}`);
      await throwOnLoginPage(page, `check ${name}`);
    });
  const firstLink = async (selector: string) => {
    const link = page.locator(selector).first();
    const href = (await link.count()) > 0 ? await link.getAttribute('href') : null;
    return href === null ? undefined : new URL(href, page.url()).toString();
  };

  // Without a query the search lists recent shipments: results to check, and a parcel to open.
  await visit('search', portalUrl(baseUrl, PATHS.search('')));
  // Its script draws them once its own request answered: wait for the network to go quiet,
  // which does not depend on the very selectors being checked.
  await page.waitForLoadState('networkidle', { timeout: timeoutMs }).catch(() => {});
  await check('search', SEARCH_PAGE);
  const parcel = await firstLink(SEARCH_PAGE.link);
  if (parcel) {
    await visit('parcel', parcel);
    await check('parcel', PARCEL_PAGE);
  }
  await visit('claim form', portalUrl(baseUrl, PATHS.claimForm('')));
  await check('claim form', CLAIM_FORM_PAGE);
  await visit('claims', portalUrl(baseUrl, PATHS.claims));
  await check('claims', CLAIMS_PAGE);
  if ((await page.locator(CLAIM_ROWS.row).count()) > 0) {
    await check('claims', CLAIM_ROWS);
    const claim = await firstLink(`${CLAIM_ROWS.row} ${CLAIM_ROWS.referenceLink}`);
    if (claim) {
      await visit('claim', claim);
      await check('claim', CLAIM_PAGE);
    }
  }
  await visit('return form', portalUrl(baseUrl, PATHS.returnForm('')));
  await check('return form', RETURN_FORM_PAGE);
  return checks;
}

/** The login page as a logged-out visitor sees it: in a new context of the same browser. */
async function checkLoginPage(page: Page, baseUrl: string): Promise<SelectorCheck[]> {
  const browser = page.context().browser();
  if (!browser) return [];
  const context = await browser.newContext();
  try {
    const loginPage = await context.newPage();
    await runStep(loginPage, 'check login', () => openPage(loginPage, portalUrl(baseUrl, PATHS.login), 'check login'));
    const checks: SelectorCheck[] = [];
    for (const [name, selector] of Object.entries(LOGIN_PAGE)) checks.push({ page: 'login', name, selector, found: (await loginPage.locator(selector).count()) > 0 });
    return checks;
  } finally {
    await context.close();
  }
}
