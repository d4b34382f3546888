import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Access, parseAccess } from './access.ts';
import { CONSOLE_PATH } from './queue-console.ts';
import { ROLES, type Role, roleAllows } from './roles.ts';
import { type ApiWorld, TEST_KEYS, startApiWorld } from './testing/api-world.ts';

/** Every route and who may call it. A route added without a line here fails the first test. */
const EXPECTED: Record<string, Access> = {
  'POST /api/lookups': 'api:agent',
  'GET /api/lookups/:id': 'api:agent',
  'GET /api/shipments': 'api:agent',
  'GET /api/shipments/:id': 'api:agent',
  'POST /api/shipments': 'api:manager',
  'GET /api/exceptions': 'api:manager',
  'GET /api/exceptions/:id': 'api:manager',
  'POST /api/exceptions/:id/:action': 'api:manager',
  'POST /api/exceptions/bulk': 'api:manager',
  'GET /api/followups': 'api:manager',
  'GET /api/followups/:id': 'api:manager',
  'POST /api/followups/:id/:action': 'api:manager',
  'POST /api/sweeps': 'api:admin',
  'GET /api/sweeps': 'api:admin',
  'GET /api/sweeps/:id': 'api:admin',
  'GET /api/documents/:id': 'any:manager',
  'GET /health': 'public',
  'GET /metrics': 'metrics',
  'GET /api/openapi.json': 'public',
  'GET /static/:name': 'public',
  'GET /': 'public',
  'GET /signin': 'public',
  'POST /signin': 'public',
  'POST /signout': 'public',
  'GET /agent': 'web:agent',
  'POST /agent/search': 'web:agent',
  'GET /agent/shipments/:id': 'web:agent',
  'POST /agent/shipments/:id/refresh': 'web:agent',
  'GET /manager/queue': 'web:manager',
  'POST /manager/exceptions/bulk': 'web:manager',
  'GET /manager/exceptions/:id': 'web:manager',
  'GET /manager/exceptions/:id/screenshot.png': 'web:manager',
  'POST /manager/followups/:id/:action': 'web:manager',
  'GET /dashboard': 'web:manager',
};

type Caller = 'nobody' | Role;
const CALLERS: Caller[] = ['nobody', ...ROLES];

/** A URL of the route's pattern: its parameters filled with values that pass the access check and no further. */
const concrete = (url: string) => url.replace(':id', '1').replace(':action', 'approve').replace(':name', 'app.css').replace('*', 'api/queues');

describe('who may call what', () => {
  let world: ApiWorld;
  const sessions = new Map<Role, { cookie: string; csrf: string }>();
  beforeAll(async () => {
    // Calls every route without a key from one address: far more refusals than the sign-in
    // attempts an address may make (that limit is api-errors.test.ts's).
    world = await startApiWorld({ env: { LOGIN_RATE_LIMIT: 'off' } });
    for (const role of ROLES) {
      const cookie = await world.signIn(role);
      sessions.set(role, { cookie, csrf: await world.csrfToken(cookie) });
    }
  });
  afterAll(async () => world?.close());

  it('every route declares its access, as this table says; the queue console is for admins', () => {
    const table = world.server.accessTable();
    const own = table.filter((route) => !route.url.startsWith(CONSOLE_PATH));
    expect(Object.fromEntries(own.map((route) => [`${route.method} ${route.url}`, route.access]))).toEqual(EXPECTED);
    const console = table.filter((route) => route.url.startsWith(CONSOLE_PATH));
    expect(console.length).toBeGreaterThan(5);
    expect(new Set(console.map((route) => route.access))).toEqual(new Set(['any:admin']));
  });

  async function call(method: string, url: string, access: Access, caller: Caller): Promise<LightMyRequestResponse> {
    const { via } = parseAccess(access);
    const session = caller === 'nobody' ? undefined : sessions.get(caller);
    const headers: Record<string, string> = {};
    if (caller !== 'nobody' && (via === 'api' || via === 'metrics')) headers.authorization = `Bearer ${TEST_KEYS[caller]}`;
    if (session && (via === 'web' || via === 'any')) headers.cookie = session.cookie;
    const form = method === 'POST' && via === 'web';
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    return world.server.inject({ method: method as 'GET', url, headers, payload: form ? `_csrf=${encodeURIComponent(session?.csrf ?? '')}` : method === 'POST' ? {} : undefined });
  }

  const guarded = [...Object.entries(EXPECTED).filter(([, access]) => access !== 'public'), [`GET ${CONSOLE_PATH}/`, 'any:admin'], [`PUT ${CONSOLE_PATH}/api/queues/pause`, 'any:admin']] as [string, Access][];
  it.each(guarded.flatMap(([route, access]) => CALLERS.map((caller) => ({ route, access, caller }))))('$route as $caller', async ({ route, access, caller }) => {
    const [method = 'GET', url = '/'] = route.split(' ');
    const response = await call(method, concrete(url), access, caller);
    const needed = parseAccess(access).role ?? 'admin';
    const via = parseAccess(access).via;
    if (caller === 'nobody') {
      if (via === 'web') {
        expect(response.statusCode).toBe(303);
        expect(response.headers.location).toMatch(/^\/signin\?next=/);
      } else {
        expect(response.statusCode).toBe(401);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    } else if (!roleAllows(caller, needed)) {
      expect(response.statusCode).toBe(403);
      expect(response.body).toContain(`this needs the ${needed} role`);
    } else {
      expect([401, 403, 303]).not.toContain(response.statusCode);
    }
  });

  it.each([
    { label: 'a wrong API key', headers: { authorization: 'Bearer not-a-configured-key-123456' } },
    { label: 'a web session instead of a key', headers: {} as Record<string, string>, session: true },
    { label: 'a key in another scheme', headers: { authorization: `Basic ${TEST_KEYS.admin}` } },
  ])('refuses $label on the API with 401', async ({ headers, session }) => {
    const cookie = session ? { cookie: sessions.get('admin')?.cookie ?? '' } : {};
    const response = await world.server.inject({ method: 'GET', url: '/api/shipments', headers: { ...headers, ...cookie } });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ status: 401, title: 'Not signed in' });
  });

  it('opens the queue console to an admin by key or by session, and sends a browser without a session to sign in', async () => {
    expect((await world.server.inject({ method: 'GET', url: `${CONSOLE_PATH}/`, headers: world.bearer('admin') })).statusCode).toBe(200);
    expect((await world.server.inject({ method: 'GET', url: `${CONSOLE_PATH}/api/queues`, headers: { cookie: sessions.get('admin')?.cookie ?? '' } })).statusCode).toBe(200);
    const browser = await world.server.inject({ method: 'GET', url: `${CONSOLE_PATH}/`, headers: { accept: 'text/html' } });
    expect(browser.statusCode).toBe(303);
    expect(browser.headers.location).toBe(`/signin?next=${encodeURIComponent(`${CONSOLE_PATH}/`)}`);
    const forged = await world.server.inject({ method: 'PUT', url: `${CONSOLE_PATH}/api/queues/pause`, headers: { cookie: sessions.get('admin')?.cookie ?? '', origin: 'https://evil.example' } });
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ type: '/problems/cross-origin' });
  });
});

/** Its own world: one test database at a time per file (the store's test helper shares one PGlite). */
describe('the metrics token', () => {
  const token = 'metrics-token-5c2e8a1f7b3d9046';
  let scoped: ApiWorld;
  beforeAll(async () => {
    scoped = await startApiWorld({ env: { PARCELBOT_METRICS_TOKEN: token } });
  });
  afterAll(async () => scoped?.close());

  it('opens /metrics and nothing else', async () => {
    const bearer = { authorization: `Bearer ${token}` };
    expect((await scoped.server.inject({ method: 'GET', url: '/metrics', headers: bearer })).statusCode).toBe(200);
    expect((await scoped.server.inject({ method: 'GET', url: '/api/shipments', headers: bearer })).statusCode).toBe(401);
  });
});
