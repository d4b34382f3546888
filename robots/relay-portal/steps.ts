import { openPage, type Page, type PortalPage, readPage, requireElement, RobotError, runStep, SERVER_RENDERED_WAIT_MS } from '../../src/robot-kit/index.ts';
import { LOGIN_PAGE } from './selectors.ts';

// What the relay portal's steps add to the robot-kit's (src/robot-kit/portal-steps.ts): this
// portal ends a session by showing its login form where a logged-in page was expected.

/**
 * Waits for `expected`, or for the login form: a logged-in page that shows the login form means
 * the portal ended the session, which the runtime answers by logging in again once.
 */
export async function landed(page: Page, expected: string, name: string, timeoutMs = SERVER_RENDERED_WAIT_MS): Promise<void> {
  await requireElement(page, `${expected}, ${LOGIN_PAGE.form}`, name, timeoutMs);
  if ((await page.locator(expected).count()) === 0) await throwOnLoginPage(page, name);
}

/** PORTAL_SESSION_EXPIRED when the page shown is the login form. */
export async function throwOnLoginPage(page: Page, name: string): Promise<void> {
  if ((await page.locator(LOGIN_PAGE.form).count()) > 0) {
    throw new RobotError('PORTAL_SESSION_EXPIRED', `${name}: the portal asked to log in again`, { evidence: { step: name, request: { method: 'GET', url: page.url().split('?')[0] ?? '' } } });
  }
}

/** Opens a page of the logged-in portal and waits for its `expected` element. */
export async function openLoggedIn(page: Page, url: string, name: string, expected: string): Promise<PortalPage> {
  return runStep(page, name, async () => {
    const status = await openPage(page, url, name);
    await landed(page, expected, name);
    return readPage(page, name, { method: 'GET', status });
  });
}
