import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import { type TestWorld, startTestWorld } from '../../testing/test-app.ts';
import { buildServer } from '../build-server.ts';
import { hashPassword } from '../password-hash.ts';
import type { Role } from '../roles.ts';

/** One API key and one web user per role (the password is the user's name, doubled). */
export const TEST_KEYS: Record<Role, string> = {
  agent: 'agent-key-7f3a9c1e5b2d4680',
  manager: 'manager-key-4b8e2f6a1c9d3057',
  admin: 'admin-key-9d1c7e3b5a2f8064',
};
export const TEST_USERS: Record<Role, string> = { agent: 'alice', manager: 'marc', admin: 'ada' };
export const passwordOf = (name: string) => `${name}${name}-secret`;

export interface ApiWorld extends TestWorld {
  server: FastifyInstance;
  /** Authorization header of the role's API key. */
  bearer(role: Role): { authorization: string };
  /** Signs the role's web user in through the sign-in form; returns the cookies to send. */
  signIn(role: Role): Promise<string>;
  /** A CSRF token for forms posted with these cookies, read from a page as a browser would. */
  csrfToken(cookies: string, path?: string): Promise<string>;
}

/** Cookies a response sets, as a Cookie header (merged over `previous`). */
export function cookiesOf(response: LightMyRequestResponse, previous = ''): string {
  const jar = new Map(previous.split('; ').filter(Boolean).map((pair) => [pair.split('=')[0] ?? '', pair] as const));
  for (const cookie of response.cookies) jar.set(cookie.name, `${cookie.name}=${cookie.value}`);
  return [...jar.values()].join('; ');
}

export function csrfFrom(markup: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(markup)?.[1];
  if (!token) throw new Error('no CSRF token in the page');
  return token;
}

/** A test world (real Redis, store, simulators) with the HTTP server built on it, keys and users of every role. */
export async function startApiWorld(options: { env?: Record<string, string>; now?: string; logger?: Logger } = {}): Promise<ApiWorld> {
  const users = await Promise.all(
    (Object.entries(TEST_USERS) as [Role, string][]).map(async ([role, name]) => `${role}:${name}:${await hashPassword(passwordOf(name))}`),
  );
  const world = await startTestWorld({
    now: options.now,
    logger: options.logger,
    env: {
      PARCELBOT_API_KEYS: (Object.entries(TEST_KEYS) as [Role, string][]).map(([role, key]) => `${role}:${key}`).join(','),
      PARCELBOT_WEB_USERS: users.join(','),
      PARCELBOT_SESSION_SECRET: 'test-session-secret-0123456789abcdef0123',
      ...options.env,
    },
  });
  const server = await buildServer({ app: world.app });
  await server.ready();

  const csrfToken = async (cookies: string, path = '/agent') => csrfFrom((await server.inject({ method: 'GET', url: path, headers: { cookie: cookies } })).body);
  return {
    ...world,
    server,
    bearer: (role) => ({ authorization: `Bearer ${TEST_KEYS[role]}` }),
    csrfToken,
    async signIn(role) {
      const form = await server.inject({ method: 'GET', url: '/signin' });
      const cookies = cookiesOf(form);
      const name = TEST_USERS[role];
      const response = await server.inject({
        method: 'POST',
        url: '/signin',
        headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ name, password: passwordOf(name), _csrf: csrfFrom(form.body) }).toString(),
      });
      if (response.statusCode !== 303) throw new Error(`sign-in of ${name} answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
      return cookiesOf(response, cookies);
    },
    async close() {
      await server.close();
      await world.close();
    },
  };
}
