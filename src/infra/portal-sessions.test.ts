import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { CookieHttp, PortalAccount } from '../robot-kit/portal.ts';
import { RobotError } from '../robot-kit/robot-error.ts';
import { TEST_REDIS_URL } from '../testing/test-app.ts';
import type { Page } from 'playwright-core';
import { BrowserProvider, findChromium } from './browser.ts';
import { createHttpClient } from './http-client.ts';
import { createPortalSessions } from './portal-sessions.ts';
import { deleteKeysWithPrefix } from './redis.ts';

/**
 * A minimal portal: POST /login sets a session cookie, GET /me needs it (else redirects to
 * /login) and says who and which `pref` cookie it saw; GET /rotate gives the session a new id and
 * forgets the old one, GET /pref?to=x sets the `pref` cookie, as portals change cookies mid-work.
 */
function startPortal() {
  const sessions = new Set<string>();
  const counts = { loginAttempts: 0, logins: 0 };
  const newSession = () => {
    const id = randomBytes(8).toString('hex');
    sessions.add(id);
    return `sid=${id}; Path=/; HttpOnly`;
  };
  const server: Server = createServer((req, res) => {
    const sid = /sid=(\w+)/.exec(req.headers.cookie ?? '')?.[1];
    const pref = /pref=(\w+)/.exec(req.headers.cookie ?? '')?.[1];
    const url = new URL(req.url ?? '/', 'http://portal.local');
    if (req.method === 'POST' && url.pathname === '/login') {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        counts.loginAttempts += 1;
        // As slow as a real login: workers starting together are all still waiting when it ends.
        setTimeout(() => {
          if (new URLSearchParams(body).get('password') !== 'right') return void res.writeHead(302, { location: '/login?error=1' }).end();
          counts.logins += 1;
          res.writeHead(302, { location: '/me', 'set-cookie': newSession() }).end();
        }, 100);
      });
      return;
    }
    if (url.pathname === '/login') return void res.writeHead(200).end('<form>login</form>');
    if (!sid || !sessions.has(sid)) return void res.writeHead(302, { location: '/login' }).end();
    if (url.pathname === '/rotate') {
      sessions.delete(sid);
      return void res.writeHead(200, { 'set-cookie': newSession() }).end('rotated');
    }
    if (url.pathname === '/pref') return void res.writeHead(200, { 'set-cookie': `pref=${url.searchParams.get('to')}; Path=/` }).end('noted');
    res.writeHead(200).end(pref ? `hello seller, pref=${pref}` : 'hello seller');
  });
  return new Promise<{ url: string; counts: typeof counts; forgetSessions(): void; close(): Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, counts, forgetSessions: () => sessions.clear(), close: () => new Promise((done) => server.close(() => done())) });
    }),
  );
}

async function logIn(http: CookieHttp, password: string): Promise<void> {
  const response = await http.postForm('/login', { email: 'ops@example.com', password });
  if (response.url.includes('error')) throw new RobotError('PORTAL_LOGIN_REFUSED', 'the portal refused the login');
}

async function visit(http: CookieHttp, path: string): Promise<string> {
  const response = await http.get(path);
  if (response.url.endsWith('/login')) throw new RobotError('PORTAL_SESSION_EXPIRED', 'sent back to the login page');
  return response.text;
}

const whoAmI = (http: CookieHttp) => visit(http, '/me');

describe('portal sessions over HTTP', () => {
  const redis = new Redis(TEST_REDIS_URL);
  const logger = pino({ level: 'silent' });
  const http = createHttpClient();
  let prefix: string;
  let portal: Awaited<ReturnType<typeof startPortal>>;
  // No test here opens a page: the browser is never started.
  const sessions = () =>
    createPortalSessions({ browsers: new BrowserProvider(async () => '/nowhere', logger), http, redis, prefix, maxPagesPerAccount: 2, sessionTtlMs: 3_600_000, timeoutMs: 5000, logger });
  const account = (password = 'right'): PortalAccount => ({ key: 'seller:ops', baseUrl: portal.url, login: 'ops@example.com', password });

  beforeEach(async () => {
    prefix = `test-portal-${randomBytes(4).toString('hex')}`;
    portal = await startPortal();
    return async () => {
      await portal.close();
      await deleteKeysWithPrefix(redis, prefix);
    };
  });
  afterAll(async () => {
    await http.close();
    await redis.quit();
  });

  it('logs in once for many calls, in two processes sharing Redis', async () => {
    const [first, second] = [sessions(), sessions()];
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, index) => (index % 2 ? first : second).withHttp(account(), (session) => logIn(session, 'right'), whoAmI)),
    );
    expect(new Set(answers)).toEqual(new Set(['hello seller']));
    expect(portal.counts.logins).toBe(1);
  });

  it('logs in again once when the session ends mid-flow', async () => {
    const portalSessions = sessions();
    await portalSessions.withHttp(account(), (session) => logIn(session, 'right'), whoAmI);
    portal.forgetSessions();
    expect(await portalSessions.withHttp(account(), (session) => logIn(session, 'right'), whoAmI)).toBe('hello seller');
    expect(portal.counts.logins).toBe(2);
  });

  it('never tries a refused login again until the credentials change', async () => {
    const portalSessions = sessions();
    const refused = (password: string) => portalSessions.withHttp(account(password), (session) => logIn(session, password), whoAmI);
    await expect(refused('wrong')).rejects.toMatchObject({ code: 'PORTAL_LOGIN_REFUSED' });
    await expect(sessions().withHttp(account('wrong'), (session) => logIn(session, 'wrong'), whoAmI)).rejects.toThrow(/not tried again until the account's settings change/);
    expect(portal.counts.loginAttempts).toBe(1);
    expect(await refused('right')).toBe('hello seller');
  });

  it('makes one login attempt for workers all waiting on a login the portal refuses', async () => {
    const refused = await Promise.allSettled(
      [sessions(), sessions(), sessions()].map((portalSessions) => portalSessions.withHttp(account('wrong'), (session) => logIn(session, 'wrong'), whoAmI)),
    );
    expect(refused.map((outcome) => outcome.status === 'rejected' && (outcome.reason as RobotError).code)).toEqual(Array(3).fill('PORTAL_LOGIN_REFUSED'));
    expect(portal.counts.loginAttempts).toBe(1);
  });

  it('stores the cookies a portal changed during the work: the next process uses them, no new login', async () => {
    const login = (session: CookieHttp) => logIn(session, 'right');
    expect(await sessions().withHttp(account(), login, (http) => visit(http, '/rotate'))).toBe('rotated');
    expect(await sessions().withHttp(account(), login, whoAmI)).toBe('hello seller');
    expect(portal.counts.logins).toBe(1);
  });

  it('never puts back a jar older than the one another job stored', async () => {
    const login = (session: CookieHttp) => logIn(session, 'right');
    await sessions().withHttp(account(), login, whoAmI);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let started = () => {};
    const slowStarted = new Promise<void>((resolve) => (started = resolve));
    // Starts from the stored jar, and ends after a quicker job stored a newer one.
    const slow = sessions().withHttp(account(), login, async (http) => {
      started();
      await held;
      return visit(http, '/pref?to=older');
    });
    await slowStarted;
    await sessions().withHttp(account(), login, (http) => visit(http, '/pref?to=newer'));
    release();
    await slow;
    expect(await sessions().withHttp(account(), login, whoAmI)).toBe('hello seller, pref=newer');
  });

  it('blanks the login, the password and e-mail addresses from the evidence of any failure', async () => {
    const html = '<p>Signed in as ops@example.com (OPS@EXAMPLE.COM), key right-horse-battery, contact: support@portal.example</p>';
    const account = { key: 'seller:blank', baseUrl: portal.url, login: 'ops@example.com', password: 'right-horse-battery' };
    const failing = sessions().withHttp(account, (session) => logIn(session, 'right'), async () => {
      throw new RobotError('PORTAL_LAYOUT_CHANGED', 'read page: no table', { evidence: { step: 'read page', html, body: html } });
    });
    const error = await failing.catch((thrown: RobotError) => thrown);
    expect(error).toMatchObject({ code: 'PORTAL_LAYOUT_CHANGED', message: 'read page: no table', evidence: { step: 'read page' } });
    for (const text of [error.evidence?.html, error.evidence?.body]) expect(text).toBe('<p>Signed in as [blanked] ([blanked]), key [blanked], contact: [blanked]</p>');
  });
});

describe('portal sessions in a browser', () => {
  const redis = new Redis(TEST_REDIS_URL);
  const logger = pino({ level: 'silent' });
  const http = createHttpClient();
  // A browser for each worker process of the test.
  const browsers = [new BrowserProvider(() => findChromium(undefined), logger), new BrowserProvider(() => findChromium(undefined), logger)];
  const prefix = `test-portal-${randomBytes(4).toString('hex')}`;
  let portal: Awaited<ReturnType<typeof startPortal>>;
  const processes = browsers.map((browsers) => createPortalSessions({ browsers, http, redis, prefix, maxPagesPerAccount: 4, sessionTtlMs: 3_600_000, timeoutMs: 5000, logger }));

  beforeEach(async () => {
    portal = await startPortal();
    return () => portal.close();
  });
  afterAll(async () => {
    await Promise.all(processes.map((sessions) => sessions.close()));
    await Promise.all(browsers.map((provider) => provider.close()));
    await deleteKeysWithPrefix(redis, prefix);
    await http.close();
    await redis.quit();
  });

  const account = (): PortalAccount => ({ key: 'seller:browser', baseUrl: portal.url, login: 'ops@example.com', password: 'right' });
  // The context's request API keeps the session cookie the login sets, as a form would.
  const login = async (page: Page) => void (await page.request.post(`${portal.url}/login`, { form: { email: 'ops@example.com', password: 'right' } }));
  const whoAmIInPage = async (page: Page) => {
    await page.goto(`${portal.url}/me`);
    return page.textContent('body');
  };

  it('opens one context for the jobs of a process that all find a session another process logged in', { timeout: 60_000 }, async () => {
    const [first, second] = processes as [(typeof processes)[0], (typeof processes)[0]];
    expect(await first.withPage(account(), login, whoAmIInPage)).toBe('hello seller');
    const answers = await Promise.all(Array.from({ length: 4 }, () => second.withPage(account(), login, whoAmIInPage)));
    expect(answers).toEqual(Array(4).fill('hello seller'));
    expect(portal.counts.logins).toBe(1);
    const contexts = (await browsers[1]!.browser()).contexts();
    expect(contexts).toHaveLength(1);
    // The one page a context keeps open, the jobs' own closed.
    expect(contexts[0]!.pages()).toHaveLength(1);
  });
});
