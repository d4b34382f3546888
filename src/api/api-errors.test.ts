import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRateLimit } from '../config.ts';
import { webSettingsShape } from './web-settings.ts';
import { type ApiWorld, cookiesOf, csrfFrom, passwordOf, startApiWorld } from './testing/api-world.ts';

/** Bad requests answer application/problem+json naming the field, never a stack trace. */
describe('API errors', () => {
  let world: ApiWorld;
  beforeAll(async () => {
    world = await startApiWorld({ env: { API_BODY_LIMIT: '2048', API_IMPORT_BODY_LIMIT: '4096' } });
  });
  afterAll(async () => world?.close());

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    world.server.inject({ method: 'POST', url, headers: { ...world.bearer('admin'), ...headers }, payload: payload as string });

  it.each([
    { label: 'a number where text goes', url: '/api/lookups', body: { trackingNumber: 6 }, field: 'trackingNumber', says: /string/ },
    { label: 'neither number nor order', url: '/api/lookups', body: {}, field: 'trackingNumber', says: /either trackingNumber or orderRef/ },
    { label: 'both number and order', url: '/api/lookups', body: { trackingNumber: '6A00641463161', orderRef: 'CMD-1' }, field: 'trackingNumber', says: /either/ },
    { label: 'a wait that is not a number', url: '/api/lookups?wait=soon', body: { trackingNumber: '6A00641463161' }, field: 'query.wait', says: /number/ },
    { label: 'a wait over the bound', url: '/api/lookups?wait=3600', body: { trackingNumber: '6A00641463161' }, field: 'query.wait', says: /60/ },
    { label: 'a number with symbols', url: '/api/lookups', body: { trackingNumber: '6A<script>' }, field: 'trackingNumber', says: /letters A-Z and digits only/ },
    { label: 'a number no carrier issues', url: '/api/lookups', body: { trackingNumber: 'ZZ1' }, field: 'trackingNumber', says: /name the carrier in "carrier"/ },
    { label: 'an unknown carrier', url: '/api/lookups', body: { trackingNumber: '6A00641463161', carrier: 'pigeon' }, field: 'carrier', says: /unknown carrier "pigeon"/ },
    { label: 'rows that are not a list', url: '/api/shipments', body: { shipments: 'all of them' }, field: 'shipments', says: /array/ },
    { label: 'a row missing a required column', url: '/api/shipments', body: { shipments: [{ carrier: 'laposte' }] }, field: 'shipments', says: /missing column "tracking_number"/ },
    { label: 'an unknown column', url: '/api/shipments', body: { shipments: [{ tracking_number: '6A00641463161', carrier: 'laposte', colour: 'red' }] }, field: 'shipments', says: /unknown column "colour"/ },
    { label: 'strict as text', url: '/api/shipments', body: { shipments: [{ tracking_number: '6A00641463161', carrier: 'laposte' }], strict: 'yes' }, field: 'strict', says: /boolean/ },
    { label: 'an unknown bulk action', url: '/api/exceptions/bulk', body: { ids: [1], action: 'delete' }, field: 'action', says: /approve/ },
    { label: 'an id that is not a number', url: '/api/exceptions/bulk', body: { ids: ['one'], action: 'resolve' }, field: 'ids.0', says: /whole number/ },
    { label: 'the same id twice', url: '/api/exceptions/bulk', body: { ids: [3, 3], action: 'resolve' }, field: 'ids', says: /each id once/ },
  ])('names the field for $label', async ({ url, body, field, says }) => {
    const response = await post(url, body);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toMatchObject({ type: '/problems/invalid-request', title: 'Bad request', status: 400 });
    expect(problem.errors).toEqual(expect.arrayContaining([{ field, message: expect.stringMatching(says) }]));
    expect(problem.detail).toContain(field);
  });

  it.each([
    { label: 'an oversized body', url: '/api/lookups', payload: JSON.stringify({ trackingNumber: 'x'.repeat(4000) }), type: 'application/json', status: 413, problem: 'body-too-large' },
    { label: 'an import over its own limit', url: '/api/shipments', payload: JSON.stringify({ shipments: Array.from({ length: 100 }, () => ({ tracking_number: '6A00641463161', carrier: 'laposte' })) }), type: 'application/json', status: 413, problem: 'body-too-large' },
    { label: 'broken JSON', url: '/api/lookups', payload: '{"trackingNumber": ', type: 'application/json', status: 400, problem: 'invalid-json' },
    { label: 'a body in another format', url: '/api/lookups', payload: 'trackingNumber=6A00641463161', type: 'text/plain', status: 415, problem: 'unsupported-media-type' },
  ])('answers $label with $status', async ({ url, payload, type, status, problem }) => {
    const response = await post(url, payload, { 'content-type': type });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ type: `/problems/${problem}`, status });
    expect(response.body).not.toMatch(/\bat .+\.(ts|js):\d+/);
  });

  it('takes an import under the import limit although it is over the general one', async () => {
    const rows = Array.from({ length: 60 }, (_, index) => ({ tracking_number: `6A0064146${String(3100 + index)}`, carrier: 'laposte' }));
    const payload = JSON.stringify({ shipments: rows });
    expect(payload.length).toBeGreaterThan(2048);
    const response = await post('/api/shipments', payload, { 'content-type': 'application/json' });
    expect(response.statusCode).toBe(200);
  });

  it('answers an unknown API path with a 404 problem and an unknown page with a 404 page', async () => {
    const api = await world.server.inject({ method: 'GET', url: '/api/parcels?email=camille@example.com', headers: world.bearer('agent') });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ status: 404, detail: 'nothing at GET /api/parcels' });
    const page = await world.server.inject({ method: 'GET', url: '/nowhere', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('404 Not found');
  });

  it('serves an OpenAPI document of every API route, with its role, and no page', async () => {
    const document = (await world.server.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/documents/{id}',
      '/api/exceptions',
      '/api/exceptions/bulk',
      '/api/exceptions/{id}',
      '/api/exceptions/{id}/{action}',
      '/api/followups',
      '/api/followups/{id}',
      '/api/followups/{id}/{action}',
      '/api/lookups',
      '/api/lookups/{id}',
      '/api/shipments',
      '/api/shipments/{id}',
      '/api/sweeps',
      '/api/sweeps/{id}',
    ]);
    expect(document.paths['/api/documents/{id}'].get.description).toContain('Role: manager.');
    expect(document.paths['/api/sweeps'].post.description).toContain('Role: admin.');
    expect(document.paths['/api/shipments'].get.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(
      expect.arrayContaining(['status', 'verdict', 'carrier', 'channel', 'createdFrom', 'createdTo', 'promisedFrom', 'promisedTo', 'q', 'before', 'limit']),
    );
  });
});

describe('rate limits', () => {
  let world: ApiWorld;
  beforeAll(async () => {
    world = await startApiWorld({ env: { API_RATE_LIMIT: '3/1h', LOGIN_RATE_LIMIT: '2/1h' } });
  });
  afterAll(async () => world?.close());

  it('counts API calls per key and answers 429 past the limit, with Retry-After', async () => {
    const statuses: number[] = [];
    for (let call = 0; call < 4; call++) statuses.push((await world.server.inject({ method: 'GET', url: '/api/shipments', headers: world.bearer('agent') })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await world.server.inject({ method: 'GET', url: '/api/shipments', headers: world.bearer('agent') });
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.json()).toMatchObject({ status: 429, type: '/problems/rate-limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another key has its own count; /health is never limited.
    expect((await world.server.inject({ method: 'GET', url: '/api/shipments', headers: world.bearer('manager') })).statusCode).toBe(200);
    for (let call = 0; call < 5; call++) expect((await world.server.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('limits sign-in attempts per address, more strictly than API calls: past the limit even the right password gets in no more', async () => {
    const attempt = async (password: string) => {
      const form = await world.server.inject({ method: 'GET', url: '/signin' });
      return world.server.inject({
        method: 'POST',
        url: '/signin',
        headers: { cookie: cookiesOf(form), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ name: 'ada', password, _csrf: csrfFrom(form.body) }).toString(),
      });
    };
    expect([(await attempt('guess')).statusCode, (await attempt('guess')).statusCode]).toEqual([401, 401]);
    const limited = await attempt(passwordOf('ada'));
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.cookies.map((cookie) => cookie.name)).not.toContain('pb_session');
    // By default: 10 a minute against 600 API calls.
    const byDefault = (variable: 'LOGIN_RATE_LIMIT' | 'API_RATE_LIMIT') => parseRateLimit(variable, webSettingsShape[variable].parse(undefined))?.max ?? Infinity;
    expect(byDefault('LOGIN_RATE_LIMIT')).toBeLessThan(byDefault('API_RATE_LIMIT') / 10);
  });

  it('counts calls with a wrong or missing key as sign-in attempts of their address; a known key is not held back by them', async () => {
    const guess = (key?: string) => world.server.inject({ method: 'GET', url: '/api/shipments', headers: key ? { authorization: `Bearer ${key}` } : {} });
    expect([(await guess('guess-0123456789abcdef')).statusCode, (await guess()).statusCode]).toEqual([401, 401]);
    const limited = await guess('guess-fedcba9876543210');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await world.server.inject({ method: 'GET', url: '/api/shipments', headers: world.bearer('admin') })).statusCode).toBe(200);
  });
});
