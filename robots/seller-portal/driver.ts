import { type Evidence, RobotError } from '../../src/robot-kit/index.ts';
import { PageMismatch } from './parse.ts';

/** A page as a step saw it, the same in both modes: parse.ts reads its HTML. */
export interface PortalPage {
  step: string;
  url: string;
  status: number;
  html: string;
}

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

/** What the drivers share: the timeout of a page, and what evidence must never show (the login). */
export interface DriverOptions {
  timeoutMs: number;
  secrets: readonly string[];
}

/** Evidence without the account's login (passwords are blanked already): a portal may echo it in the page. */
export function withoutSecrets(evidence: Evidence, secrets: readonly string[]): Evidence {
  const hide = (text: string | undefined) => secrets.reduce((out, secret) => (secret ? out?.split(secret).join('[hidden]') : out), text);
  return { ...evidence, html: hide(evidence.html), body: hide(evidence.body) };
}

/** The same RobotError with its evidence cleaned (errors made by the robot-kit's page helpers). */
export function cleaned(error: unknown, secrets: readonly string[]): unknown {
  if (!(error instanceof RobotError) || !error.evidence) return error;
  return new RobotError(error.code, error.message, { evidence: withoutSecrets(error.evidence, secrets), retryAfterMs: error.retryAfterMs, cause: error.cause });
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
