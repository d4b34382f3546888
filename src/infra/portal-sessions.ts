import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Logger } from 'pino';
import type { HttpClient } from '../robot-kit/http-client.ts';
import type { CookieHttp, OneTimeCodes, PortalAccount, PortalSessions } from '../robot-kit/portal.ts';
import { blankPersonalData, notePersonalCells } from '../robot-kit/portal-steps.ts';
import { RobotError } from '../robot-kit/robot-error.ts';
import type { BrowserProvider } from './browser.ts';
import { BrowserHostGuard } from './browser-host-guard.ts';
import { createCookieHttp, deserializeJar, jarCookies, serializeJar } from './cookie-http.ts';
import { createRedisTokenCache, FetchStillRunning } from './redis-token-cache.ts';
import { Semaphore } from './semaphore.ts';

export interface PortalSessionsOptions {
  browsers: BrowserProvider;
  http: HttpClient;
  redis: Redis;
  prefix: string;
  maxPagesPerAccount: number;
  /** How long a stored login is reused before logging in afresh. */
  sessionTtlMs: number;
  /** Default timeout of every page action; the login lock is measured in it. */
  timeoutMs: number;
  logger: Logger;
}

const REFUSAL_CODES = new Set(['PORTAL_LOGIN_REFUSED', 'PORTAL_ACCOUNT_LOCKED']);
// A refusal stays until the credentials change (its key hashes them) or a week passes.
const REFUSAL_TTL_SECONDS = 7 * 24 * 3600;
/**
 * One login at a time per account, across processes: a second one could spend the one-time code
 * the first needs, and two refusals count twice towards a lock. The login lock lives one page
 * action's timeout and is renewed while the login runs, so it outlasts any login and ends soon
 * after a process that died; the others wait up to this many page actions' timeouts for its
 * session, then fail with PORTAL_PAGE_ERROR (retried later) rather than log in alongside it.
 */
const LOGIN_WAIT_PAGE_ACTIONS = 10;
/** A used TOTP period is remembered this long: far past the portal's window of a period or two. */
const SPENT_PERIOD_TTL_SECONDS = 24 * 3600;
/** Sets KEYS[1] to period ARGV[1] unless it holds that or a later one: 1 when set. */
const SPEND_PERIOD = `local last = tonumber(redis.call('GET', KEYS[1]) or '-1')
if last >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`;

interface CachedContext {
  state: string;
  context: BrowserContext;
  /** Closing a context's last page makes every later page pay for a new renderer: one stays open. */
  idlePage: Page;
  /** Pages jobs are working in: a replaced context is closed only once they are done. */
  pagesInUse: number;
  replaced: boolean;
}

/**
 * The account's context for one session state, as it is being opened: jobs that see a new state
 * at once share this one promise, so one context is opened for them all (each opening its own,
 * all but the last cached were never closed).
 */
interface ContextEntry {
  state: string;
  ready: Promise<CachedContext>;
}

/**
 * Logged-in portal sessions shared by every job and process: a login's cookies are stored in
 * Redis like an OAuth token (one login fetches them, the others wait for it), reused until they
 * expire, and refreshed once when a step finds the session gone. Every error leaving a session
 * has the account's login and password, any e-mail address or phone number, and the robot's
 * `personalCells` blanked from its evidence; its pages mask them in screenshots too.
 *
 * Over HTTP, a portal may change cookies as it serves pages (a rotated session id). A job that
 * ends well stores its jar back when its cookies changed, but only over the jar it started from
 * (compare-and-set in Redis): a job that started earlier and ends later never puts back an older
 * jar, nor one from before a fresh login. Of two jobs that started from the same jar and both saw
 * changes, the first to end is kept; if the portal no longer takes it, the next job logs in again.
 */
export function createPortalSessions(options: PortalSessionsOptions): PortalSessions & { close(): Promise<void> } {
  const { redis, prefix, logger } = options;
  const stored = createRedisTokenCache(redis, `${prefix}:portal`, {
    marginMs: 0,
    lockMs: options.timeoutMs,
    waitMs: LOGIN_WAIT_PAGE_ACTIONS * options.timeoutMs,
    pollMs: 100,
  });
  const limits = new Map<string, Semaphore>();
  const contexts = new Map<string, ContextEntry>();
  const hostGuard = new BrowserHostGuard(logger);
  const limit = (account: PortalAccount) => limits.get(account.key) ?? limits.set(account.key, new Semaphore(options.maxPagesPerAccount)).get(account.key)!;
  const refusalKey = (account: PortalAccount) =>
    `${prefix}:portal-refused:${createHash('sha256').update([account.key, account.login, account.password, account.totpSecret ?? ''].join('\u0000')).digest('hex').slice(0, 32)}`;

  /** The account's one-time codes, shared by every process through Redis. */
  const oneTimeCodes = (account: PortalAccount): OneTimeCodes => ({
    spend: async (period) => (await redis.eval(SPEND_PERIOD, 1, `${prefix}:portal-totp:${account.key}`, String(period), String(SPENT_PERIOD_TTL_SECONDS))) === 1,
  });

  /** A refused login is final: remembered, so no job tries again and locks the account. */
  async function refusedBefore(account: PortalAccount): Promise<void> {
    const refusal = await redis.get(refusalKey(account));
    if (!refusal) return;
    const { code, message } = JSON.parse(refusal) as { code: 'PORTAL_LOGIN_REFUSED' | 'PORTAL_ACCOUNT_LOCKED'; message: string };
    throw new RobotError(code, `${message} (not tried again until the account's settings change)`);
  }

  async function loggingIn<T>(account: PortalAccount, logIn: () => Promise<T>): Promise<T> {
    try {
      logger.info({ account: account.key }, 'logging in to portal');
      return await logIn();
    } catch (error) {
      if (!(error instanceof RobotError) || !REFUSAL_CODES.has(error.code)) throw error;
      // Stored and repeated to every later call: cleaned first, as the portal's alert may name the login.
      const refusal = withoutAccountDataIn(error, account);
      await redis.set(refusalKey(account), JSON.stringify({ code: refusal.code, message: refusal.message }), 'EX', REFUSAL_TTL_SECONDS);
      throw refusal;
    }
  }

  /** A context of the account's portal; its pages reach the portal's origin only (BrowserHostGuard). */
  async function newContext(browser: Browser, account: PortalAccount, state?: string): Promise<BrowserContext> {
    const context = await hostGuard.newContext(browser, account.baseUrl, state ? { storageState: JSON.parse(state) } : {});
    context.setDefaultTimeout(options.timeoutMs);
    return context;
  }

  function retire(cached: CachedContext): void {
    cached.replaced = true;
    if (cached.pagesInUse === 0) void cached.context.close().catch(() => {});
  }

  /**
   * Makes the context `open` gives the account's for `state`, in place at once (before it is
   * open) so that jobs arriving meanwhile share it; the one it replaces is retired.
   */
  function cache(account: PortalAccount, state: string, open: () => Promise<BrowserContext>): Promise<CachedContext> {
    const previous = contexts.get(account.key);
    const entry: ContextEntry = { state, ready: openCached(state, open) };
    contexts.set(account.key, entry);
    // A context that failed to open is forgotten: the next job opens another.
    entry.ready.catch(() => contexts.get(account.key) === entry && contexts.delete(account.key));
    void previous?.ready.then(retire, () => {});
    return entry.ready;
  }

  async function openCached(state: string, open: () => Promise<BrowserContext>): Promise<CachedContext> {
    const context = await open();
    try {
      return { state, context, idlePage: await context.newPage(), pagesInUse: 0, replaced: false };
    } catch (error) {
      await context.close().catch(() => {});
      throw error;
    }
  }

  /** The account's context for `state`: the one cached or being opened, else a new one (a new session, a browser that crashed). */
  async function contextFor(account: PortalAccount, state: string): Promise<CachedContext> {
    const entry = contexts.get(account.key);
    if (entry?.state === state) {
      const cached = await entry.ready.catch(() => undefined);
      if (cached?.context.browser()?.isConnected()) return cached;
      // Another job may have replaced it while this one waited: take that one.
      if (contexts.get(account.key) !== entry) return contextFor(account, state);
    }
    return cache(account, state, async () => newContext(await options.browsers.browser(), account, state));
  }

  /** A new page of `context` for the account's robot: evidence taken of it blanks the robot's personal-data cells. */
  async function newPage(context: BrowserContext, account: PortalAccount): Promise<Page> {
    const page = await context.newPage();
    notePersonalCells(page, account.personalCells ?? []);
    return page;
  }

  /** A new page for `work`, in a context kept open until every page working in it is done. */
  async function onPage<T>(cached: CachedContext, account: PortalAccount, work: (page: Page) => Promise<T>): Promise<T> {
    cached.pagesInUse += 1;
    try {
      const page = await newPage(cached.context, account);
      try {
        return await work(page);
      } finally {
        await page.close().catch(() => {});
      }
    } finally {
      cached.pagesInUse -= 1;
      if (cached.replaced && cached.pagesInUse === 0) await cached.context.close().catch(() => {});
    }
  }

  /** The stored session, or the one `login` makes: one login at a time per account (see LOGIN_WAIT_PAGE_ACTIONS). */
  async function sessionState(account: PortalAccount, key: string, login: () => Promise<string>): Promise<string> {
    try {
      return await stored.get(key, async () => {
        // Waited for a login that was refused: not tried again.
        await refusedBefore(account);
        return { token: await login(), expiresInMs: options.sessionTtlMs };
      });
    } catch (error) {
      if (!(error instanceof FetchStillRunning)) throw error;
      throw new RobotError('PORTAL_PAGE_ERROR', `another worker has been logging in to the portal for more than ${(LOGIN_WAIT_PAGE_ACTIONS * options.timeoutMs) / 1000} s: tried again later`, { cause: error });
    }
  }

  /**
   * Runs `attempt` with the stored session; a session found gone, by a step or by the login
   * itself (the portal forgot it between two login steps), is dropped and logged in again once.
   */
  async function withSession<T>(account: PortalAccount, key: string, login: () => Promise<string>, attempt: (state: string) => Promise<T>): Promise<T> {
    let state: string | undefined;
    try {
      state = await sessionState(account, key, login);
      return await attempt(state);
    } catch (error) {
      if (!(error instanceof RobotError) || error.code !== 'PORTAL_SESSION_EXPIRED') throw error;
      logger.info({ session: key.split(':')[0] }, 'portal session expired: logging in again');
      if (state !== undefined) await stored.invalidate(key, state);
      return attempt(await sessionState(account, key, login));
    }
  }

  /** `work` with a cookie jar from `state`; changed cookies are stored back over `state` alone. */
  async function withJar<T>(account: PortalAccount, key: string, state: string, work: (http: CookieHttp) => Promise<T>): Promise<T> {
    const jar = deserializeJar(state);
    const result = await work(createCookieHttp(options.http, account.baseUrl, jar, options.timeoutMs));
    const after = serializeJar(jar);
    if (jarCookies(after) !== jarCookies(state)) await stored.replace(key, state, after);
    return result;
  }

  return {
    withPage(account, logIn, work) {
      return withoutAccountData(account, async () => {
        await refusedBefore(account);
        return limit(account).run(() =>
          withSession(
            account,
            `browser:${account.key}`,
            () =>
              loggingIn(account, async () => {
                const context = await newContext(await options.browsers.browser(), account);
                try {
                  const page = await newPage(context, account);
                  await logIn(page, oneTimeCodes(account));
                  await page.close();
                  const state = JSON.stringify(await context.storageState());
                  await cache(account, state, async () => context);
                  return state;
                } catch (error) {
                  // A refused or failed login leaves nothing open behind it.
                  await context.close().catch(() => {});
                  throw error;
                }
              }),
            async (state) => onPage(await contextFor(account, state), account, work),
          ),
        );
      });
    },

    withHttp(account, logIn, work) {
      const key = `http:${account.key}`;
      return withoutAccountData(account, async () => {
        await refusedBefore(account);
        return limit(account).run(() =>
          withSession(
            account,
            key,
            () =>
              loggingIn(account, async () => {
                const jar = deserializeJar(undefined);
                await logIn(createCookieHttp(options.http, account.baseUrl, jar, options.timeoutMs));
                return serializeJar(jar);
              }),
            (state) => withJar(account, key, state, work),
          ),
        );
      });
    },

    withLoggedOutPage(account, work) {
      // No page slot taken: `portal check` opens it while holding one for the logged-in pages.
      return withoutAccountData(account, async () => {
        const context = await newContext(await options.browsers.browser(), account);
        try {
          return await work(await newPage(context, account));
        } finally {
          await context.close().catch(() => {});
        }
      });
    },

    async close() {
      await Promise.all([...contexts.values()].map(async (entry) => (await entry.ready.catch(() => undefined))?.context.close().catch(() => {})));
      contexts.clear();
      await hostGuard.close();
    },
  };
}

/** Runs `work`; an error leaving it has the account's login, password and personal data blanked (`withoutAccountDataIn`). */
async function withoutAccountData<T>(account: PortalAccount, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof RobotError ? withoutAccountDataIn(error, account) : error;
  }
}

/**
 * `error` with the account's login and password and any personal data blanked from its evidence
 * and from its message too: robots quote the portal's alerts there ("No seller account is
 * registered for ops@shop.example"), and the message reaches the exception, the job and the logs.
 */
function withoutAccountDataIn(error: RobotError, account: PortalAccount): RobotError {
  const known = [account.login, account.password];
  const evidence = error.evidence && { ...error.evidence };
  if (evidence?.html !== undefined) evidence.html = blankPersonalData(evidence.html, known, account.personalCells);
  if (evidence?.body !== undefined) evidence.body = blankPersonalData(evidence.body, known);
  return new RobotError(error.code, blankPersonalData(error.message, known), { evidence, retryAfterMs: error.retryAfterMs, cause: error.cause });
}
