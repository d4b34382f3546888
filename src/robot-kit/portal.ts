import type { Page } from 'playwright-core';
import type { HttpResponse } from './http-client.ts';

/**
 * A login to a web portal, from configuration only (never from code or logs). `key` names the
 * account's session and limits: one logged-in session per account, shared by every job.
 */
export interface PortalAccount {
  key: string;
  baseUrl: string;
  login: string;
  password: string;
  /** Base32 secret of the account's TOTP second factor, when the portal asks for one. */
  totpSecret?: string;
  /**
   * CSS selectors of the cells and fields where the portal shows customers' names, addresses and
   * phones: set by the robot, which knows the portal's pages. Their content is blanked from every
   * evidence leaving a session and masked in its screenshots (`blankPersonalData`).
   */
  personalCells?: readonly string[];
}

/**
 * The account's one-time codes (TOTP), for a login: the portal takes each period's code once and
 * none older than the last it took, so every process of this installation records what it used.
 */
export interface OneTimeCodes {
  /** Marks TOTP period `period` used for the account: false when it, or a later one, was used already. */
  spend(period: number): Promise<boolean>;
}

/**
 * A portal page as a step ended on it, in a browser or over HTTP: parse.ts reads its HTML, and
 * evidence records the request that drew it (a form's POST, or the GET a redirect led to).
 */
export interface PortalPage {
  step: string;
  method: string;
  url: string;
  status: number;
  html: string;
}

/** What a cookie-jar session's request ended on, after redirects: that last request's method and URL. */
export type CookieHttpResponse = HttpResponse & { method: string; url: string };

/** A plain-HTTP session with a cookie jar, for portal pages that need no JavaScript. */
export interface CookieHttp {
  get(path: string): Promise<CookieHttpResponse>;
  postForm(path: string, fields: Record<string, string>): Promise<CookieHttpResponse>;
  /** The URL of `path` on the portal, as the server sees it (for resolving links). */
  url(path: string): string;
}

/**
 * Logged-in sessions on portals, kept by the runtime (src/infra/portal-sessions.ts):
 * - a session is logged in once and reused by every job and process (its cookies live in Redis);
 *   one login at a time per account, the others waiting for its session;
 * - when `work` throws PORTAL_SESSION_EXPIRED, the session logs in again once and `work` runs again;
 * - a refused login (PORTAL_LOGIN_REFUSED, PORTAL_ACCOUNT_LOCKED) is never retried here;
 * - at most PORTAL_MAX_PAGES pages work for one account at a time;
 * - cookies the portal changed during `withHttp` work are kept for the next job;
 * - an error leaving any of them has the account's login and password, any e-mail address or
 *   phone number, and the account's `personalCells` blanked from its evidence.
 */
export interface PortalSessions {
  /** A fresh page in the account's logged-in browser context; closed after `work`. */
  withPage<T>(account: PortalAccount, logIn: (page: Page, codes: OneTimeCodes) => Promise<void>, work: (page: Page) => Promise<T>): Promise<T>;
  /** The same over plain HTTP with a cookie jar. */
  withHttp<T>(account: PortalAccount, logIn: (http: CookieHttp) => Promise<void>, work: (http: CookieHttp) => Promise<T>): Promise<T>;
  /**
   * A page as a logged-out visitor sees the portal (its login page, for `portal check`): in a
   * context of its own, held to the portal's host like the logged-in ones; closed after `work`.
   */
  withLoggedOutPage<T>(account: PortalAccount, work: (page: Page) => Promise<T>): Promise<T>;
}

export type { Page };
