import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Logger } from 'pino';
import type { HttpClient } from '../robot-kit/http-client.ts';
import type { CookieHttp, PortalAccount, PortalSessions } from '../robot-kit/portal.ts';
import { RobotError } from '../robot-kit/robot-error.ts';
import type { BrowserProvider } from './browser.ts';
import { createCookieHttp, deserializeJar, serializeJar } from './cookie-http.ts';
import { createRedisTokenCache } from './redis-token-cache.ts';
import { Semaphore } from './semaphore.ts';

export interface PortalSessionsOptions {
  browsers: BrowserProvider;
  http: HttpClient;
  redis: Redis;
  prefix: string;
  maxPagesPerAccount: number;
  /** How long a stored login is reused before logging in afresh. */
  sessionTtlMs: number;
  /** Default timeout of every page action. */
  timeoutMs: number;
  logger: Logger;
}

const REFUSAL_CODES = new Set(['PORTAL_LOGIN_REFUSED', 'PORTAL_ACCOUNT_LOCKED']);
// A refusal stays until the credentials change (its key hashes them) or a week passes.
const REFUSAL_TTL_SECONDS = 7 * 24 * 3600;

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
 * Logged-in portal sessions shared by every job and process: a login's cookies are stored in
 * Redis like an OAuth token (one login fetches them, the others wait for it), reused until they
 * expire, and refreshed once when a step finds the session gone.
 */
export function createPortalSessions(options: PortalSessionsOptions): PortalSessions & { close(): Promise<void> } {
  const { redis, prefix, logger } = options;
  const stored = createRedisTokenCache(redis, `${prefix}:portal`, { marginMs: 0 });
  const limits = new Map<string, Semaphore>();
  const contexts = new Map<string, CachedContext>();
  const limit = (account: PortalAccount) => limits.get(account.key) ?? limits.set(account.key, new Semaphore(options.maxPagesPerAccount)).get(account.key)!;
  const refusalKey = (account: PortalAccount) =>
    `${prefix}:portal-refused:${createHash('sha256').update([account.key, account.login, account.password, account.totpSecret ?? ''].join('\u0000')).digest('hex').slice(0, 32)}`;

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
      if (error instanceof RobotError && REFUSAL_CODES.has(error.code)) {
        await redis.set(refusalKey(account), JSON.stringify({ code: error.code, message: error.message }), 'EX', REFUSAL_TTL_SECONDS);
      }
      throw error;
    }
  }

  async function newContext(browser: Browser, state?: string): Promise<BrowserContext> {
    const context = await browser.newContext(state ? { storageState: JSON.parse(state) } : {});
    context.setDefaultTimeout(options.timeoutMs);
    return context;
  }

  function retire(cached: CachedContext): void {
    cached.replaced = true;
    if (cached.pagesInUse === 0) void cached.context.close().catch(() => {});
  }

  async function cache(account: PortalAccount, state: string, context: BrowserContext): Promise<CachedContext> {
    const previous = contexts.get(account.key);
    const cached: CachedContext = { state, context, idlePage: await context.newPage(), pagesInUse: 0, replaced: false };
    contexts.set(account.key, cached);
    if (previous && previous.context !== context) retire(previous);
    return cached;
  }

  async function contextFor(account: PortalAccount, state: string): Promise<CachedContext> {
    const cached = contexts.get(account.key);
    if (cached && cached.state === state && cached.context.browser()?.isConnected()) return cached;
    const browser = await options.browsers.browser();
    return cache(account, state, await newContext(browser, state));
  }

  /** A new page for `work`, in a context kept open until every page working in it is done. */
  async function onPage<T>(cached: CachedContext, work: (page: Page) => Promise<T>): Promise<T> {
    cached.pagesInUse += 1;
    try {
      const page = await cached.context.newPage();
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

  /** Runs `attempt` with the stored session; a session found gone is dropped, logged in again once. */
  async function withSession<T>(key: string, login: () => Promise<string>, attempt: (state: string) => Promise<T>): Promise<T> {
    const state = await stored.get(key, async () => ({ token: await login(), expiresInMs: options.sessionTtlMs }));
    try {
      return await attempt(state);
    } catch (error) {
      if (!(error instanceof RobotError) || error.code !== 'PORTAL_SESSION_EXPIRED') throw error;
      logger.info({ session: key.split(':')[0] }, 'portal session expired: logging in again');
      await stored.invalidate(key, state);
      return attempt(await stored.get(key, async () => ({ token: await login(), expiresInMs: options.sessionTtlMs })));
    }
  }

  return {
    async withPage(account, logIn, work) {
      await refusedBefore(account);
      return limit(account).run(() =>
        withSession(
          `browser:${account.key}`,
          () =>
            loggingIn(account, async () => {
              const context = await newContext(await options.browsers.browser());
              try {
                const page = await context.newPage();
                await logIn(page);
                await page.close();
                const state = JSON.stringify(await context.storageState());
                await cache(account, state, context);
                return state;
              } catch (error) {
                // A refused or failed login leaves nothing open behind it.
                await context.close().catch(() => {});
                throw error;
              }
            }),
          async (state) => onPage(await contextFor(account, state), work),
        ),
      );
    },

    async withHttp(account, logIn, work) {
      await refusedBefore(account);
      const session = (state?: string): CookieHttp => createCookieHttp(options.http, account.baseUrl, deserializeJar(state), options.timeoutMs);
      return limit(account).run(() =>
        withSession(
          `http:${account.key}`,
          () =>
            loggingIn(account, async () => {
              const jar = deserializeJar(undefined);
              await logIn(createCookieHttp(options.http, account.baseUrl, jar, options.timeoutMs));
              return serializeJar(jar);
            }),
          (state) => work(session(state)),
        ),
      );
    },

    async close() {
      await Promise.all([...contexts.values()].map((cached) => cached.context.close().catch(() => {})));
      contexts.clear();
    },
  };
}
