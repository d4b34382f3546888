import { type Evidence, type PortalPage, RobotError } from '../../src/robot-kit/index.ts';
import { PageMismatch } from './parse.ts';

/**
 * How the steps (portal.ts) reach the portal: plain HTTP with a cookie jar, or a browser page.
 * The steps never know which; the pages need no JavaScript, so both see the same HTML.
 */
export interface PortalDriver {
  /** Loads `target` (a path from SELLER_PORTAL_URL, or a URL). An error page (5xx) or none in time is PORTAL_PAGE_ERROR. */
  open(target: string, step: string): Promise<PortalPage>;
  /** Fills the named fields of `form` on `from` and sends it as a person would, its hidden fields (the CSRF token) along. */
  submit(from: PortalPage, form: string, fields: Record<string, string>, step: string): Promise<PortalPage>;
  /** What a manager needs to see a step fail on this page: its HTML and, in a browser, a screenshot. */
  evidence(page: PortalPage): Promise<Evidence>;
}

/** What the drivers share. */
export interface DriverOptions {
  /** The longest a page may take (SELLER_PORTAL_TIMEOUT_MS). */
  timeoutMs: number;
}

/** What `read` makes of the page; a missing element is PORTAL_LAYOUT_CHANGED with the page as evidence. */
export async function parsed<T>(driver: PortalDriver, page: PortalPage, read: (html: string) => T): Promise<T> {
  try {
    return read(page.html);
  } catch (error) {
    if (!(error instanceof PageMismatch)) throw error;
    throw new RobotError('PORTAL_LAYOUT_CHANGED', `${page.step}: ${error.message}: the portal's layout changed (fix robots/seller-portal/selectors.ts)`, {
      evidence: await driver.evidence(page),
      cause: error,
    });
  }
}
