import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { CookieHttp, PortalAccount } from '../robot-kit/portal.ts';
import { RobotError } from '../robot-kit/robot-error.ts';
import { TEST_REDIS_URL } from '../testing/test-app.ts';
import { BrowserProvider } from './browser.ts';
import { createHttpClient } from './http-client.ts';
import { createPortalSessions } from './portal-sessions.ts';
import { deleteKeysWithPrefix } from './redis.ts';

/** A minimal portal: POST /login sets a session cookie, GET /me needs it, else redirects to /login. */
function startPortal() {
  const sessions = new Set<string>();
  const counts = { loginAttempts: 0, logins: 0 };
  const server: Server = createServer((req, res) => {
    const sid = /sid=(\w+)/.exec(req.headers.cookie ?? '')?.[1];
    if (req.method === 'POST' && req.url === '/login') {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        counts.loginAttempts += 1;
        if (new URLSearchParams(body).get('password') !== 'right') return void res.writeHead(302, { location: '/login?error=1' }).end();
        counts.logins += 1;
        const id = randomBytes(8).toString('hex');
        sessions.add(id);
        res.writeHead(302, { location: '/me', 'set-cookie': `sid=${id}; Path=/; HttpOnly` }).end();
      });
      return;
    }
    if (req.url === '/me') {
      if (sid && sessions.has(sid)) return void res.writeHead(200).end('hello seller');
      return void res.writeHead(302, { location: '/login' }).end();
    }
    res.writeHead(200).end('<form>login</form>');
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
  if (response.url?.includes('error')) throw new RobotError('PORTAL_LOGIN_REFUSED', 'the portal refused the login');
}

async function whoAmI(http: CookieHttp): Promise<string> {
  const response = await http.get('/me');
  if (response.url?.endsWith('/login')) throw new RobotError('PORTAL_SESSION_EXPIRED', 'sent back to the login page');
  return response.text;
}

describe('portal sessions over HTTP', () => {
  const redis = new Redis(TEST_REDIS_URL);
  const logger = pino({ level: 'silent' });
  const http = createHttpClient();
  let prefix: string;
  let portal: Awaited<ReturnType<typeof startPortal>>;
  // No test here opens a page: the browser is never started.
  const sessions = () =>
    createPortalSessions({ browsers: new BrowserProvider(() => '/nowhere', logger), http, redis, prefix, maxPagesPerAccount: 2, sessionTtlMs: 3_600_000, timeoutMs: 5000, logger });
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
});
