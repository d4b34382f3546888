import { errors, type Page } from 'playwright-core';
import { openPage, pageEvidence, requireElement, RobotError } from '../../src/robot-kit/index.ts';
import type { PageSource } from './parse.ts';
import { LOGIN_PAGE } from './selectors.ts';

/**
 * How long to wait for an element the server put in the page: it is there as soon as the DOM is,
 * so a short wait is enough, and a changed layout is reported without waiting for the full timeout.
 */
export const SERVER_RENDERED_WAIT_MS = 2000;

/**
 * Runs one named step of a portal flow. A RobotError leaves with the step's name in its evidence;
 * a Playwright timeout (a page or an answer that did not come) becomes PORTAL_PAGE_ERROR with
 * the page as it was. Anything else is a bug and leaves as it is.
 */
export async function step<T>(page: Page, name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RobotError) {
      if (error.evidence?.step) throw error;
      throw new RobotError(error.code, `${name}: ${error.message}`, { evidence: { ...error.evidence, step: name }, retryAfterMs: error.retryAfterMs, cause: error.cause });
    }
    if (error instanceof errors.TimeoutError) {
      const reason = error.message.split('\n')[0];
      throw new RobotError('PORTAL_PAGE_ERROR', `${name}: the portal did not answer in time (${reason})`, { evidence: await pageEvidence(page, name), cause: error });
    }
    throw error;
  }
}

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
export async function openLoggedIn(page: Page, url: string, name: string, expected: string): Promise<PageSource> {
  return step(page, name, async () => {
    const status = await openPage(page, url, name);
    await landed(page, expected, name);
    return pageSource(page, name, status);
  });
}

/**
 * Clicks a form's submit button and waits for the page it leads to (after redirects). Its status
 * is returned; a server error is PORTAL_PAGE_ERROR, as for a page opened directly.
 */
export async function submitForm(page: Page, button: string, name: string): Promise<number> {
  const submit = await requireElement(page, button, name, SERVER_RENDERED_WAIT_MS);
  const isRedirect = (status: number) => status >= 300 && status < 400;
  const [response] = await Promise.all([
    page.waitForResponse((answer) => answer.frame() === page.mainFrame() && answer.request().isNavigationRequest() && !isRedirect(answer.status())),
    page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() }),
    submit.click(),
  ]);
  await page.waitForLoadState('domcontentloaded');
  const status = response.status();
  if (status >= 500) throw new RobotError('PORTAL_PAGE_ERROR', `${name}: the portal answered HTTP ${status}`, { evidence: { ...(await pageEvidence(page, name)), status } });
  return status;
}

export async function pageSource(page: Page, name: string, status: number): Promise<PageSource> {
  return { url: page.url(), status, html: await page.content(), step: name };
}

/** The address of `path` on the portal, keeping the base URL's own path (`https://host/pro` + `/login`). */
export function portalUrl(baseUrl: string, path: string): string {
  return new URL(path.replace(/^\//, ''), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
}
