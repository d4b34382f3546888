import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Access, parseAccess } from './access.ts';
import { CONSOLE_PATH } from './queue-console.ts';
import { type ApiWorld, startApiWorld } from './testing/api-world.ts';

/**
 * A body each route with a required body accepts: Fastify checks the body before the query, so
 * the query's check is reached only past a good body. A new route whose body needs more fails
 * the walk below with that body's error: add its line here.
 */
const GOOD_BODIES: Record<string, Record<string, unknown>> = {
  'POST /api/lookups': { trackingNumber: '6A00641463161' },
  'POST /api/shipments': { shipments: [{ tracking_number: '6A00641463161', carrier: 'laposte' }] },
  'POST /api/exceptions/bulk': { ids: [1], action: 'resolve' },
  'POST /signin': { name: 'ada', password: 'not-checked' },
  'POST /signout': {},
  'POST /agent/search': { q: '6A00641463161' },
  'POST /agent/shipments/:id/refresh': {},
  'POST /manager/exceptions/bulk': { ids: '1', action: 'resolve' },
  'POST /manager/followups/:id/:action': {},
};

const SWEEP_ID = '00000000-0000-4000-8000-000000000000';

/** A URL of the route's pattern, with parameters that pass its validation. */
const concrete = (url: string) => url.replace(':id', url.startsWith('/api/sweeps') ? SWEEP_ID : '1').replace(':action', 'approve').replace(':name', 'app.css');

/** The fields a 400 names: from the problem's `errors` (API) or the error page's lines (web). */
function fieldsNamed(response: LightMyRequestResponse): string[] {
  if (response.statusCode !== 400) return [];
  if (String(response.headers['content-type']).startsWith('application/problem+json')) return response.json().errors.map((error: { field: string }) => error.field);
  return [...response.body.matchAll(/<p>([\w.]+): unknown field/g)].map((match) => match[1] ?? '');
}

/** Every route the server registered (but the queue console, bull-board's own), walked from its access table: none ignores a field it does not know. */
describe('unknown fields, on every route', () => {
  let world: ApiWorld;
  let cookie = '';
  beforeAll(async () => {
    world = await startApiWorld({ env: { LOGIN_RATE_LIMIT: 'off' } });
    cookie = await world.signIn('admin');
  });
  afterAll(async () => world?.close());

  const routes = () => world.server.accessTable().filter((route) => !route.url.startsWith(CONSOLE_PATH));

  /** As an admin (by key or session, as the route takes), so the call gets past access control to validation. */
  function call(route: { method: string; url: string; access: Access }, query: string, body?: Record<string, unknown>) {
    const { via } = parseAccess(route.access);
    const headers = via === 'web' || via === 'any' ? { cookie } : via === 'public' ? {} : world.bearer('admin');
    return world.server.inject({ method: route.method as 'GET', url: `${concrete(route.url)}${query}`, headers, payload: body });
  }

  it('refuses an unknown query field with a 400 naming it', async () => {
    const ignored: string[] = [];
    for (const route of routes()) {
      const response = await call(route, '?carier=dhl', GOOD_BODIES[`${route.method} ${route.url}`]);
      if (!fieldsNamed(response).includes('query.carier')) ignored.push(`${route.method} ${route.url} answered ${response.statusCode}`);
    }
    expect(routes().length).toBeGreaterThan(30);
    expect(ignored).toEqual([]);
  });

  it('refuses an unknown body field with a 400 naming it, on every route that reads a body (those that take none included)', async () => {
    const ignored: string[] = [];
    const withBody = routes().filter((route) => route.method !== 'GET');
    for (const route of withBody) {
      const response = await call(route, '', { ...GOOD_BODIES[`${route.method} ${route.url}`], carier: 'dhl' });
      if (!fieldsNamed(response).includes('carier')) ignored.push(`${route.method} ${route.url} answered ${response.statusCode}`);
    }
    expect(withBody.map((route) => `${route.method} ${route.url}`)).toContain('POST /api/sweeps');
    expect(ignored).toEqual([]);
  });

  it('starts no sweep when a field is refused, and still takes an empty body where a route takes none', async () => {
    const sweeps = async () => (await world.db.query<{ n: number }>('select count(*)::int as n from sweeps'))[0]?.n;
    const before = await sweeps();
    expect((await world.server.inject({ method: 'POST', url: '/api/sweeps?carrier=laposte', headers: world.bearer('admin') })).json()).toMatchObject({ status: 400, errors: [{ field: 'query.carrier' }] });
    expect((await world.server.inject({ method: 'POST', url: '/api/sweeps', headers: world.bearer('admin'), payload: { carrier: 'laposte' } })).json()).toMatchObject({ status: 400, errors: [{ field: 'carrier' }] });
    expect(await sweeps()).toBe(before);
    expect((await world.server.inject({ method: 'POST', url: '/api/sweeps', headers: world.bearer('admin'), payload: {} })).statusCode).toBe(202);
  });
});
