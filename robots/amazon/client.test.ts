import { describe, expect, it } from 'vitest';
import { fakeHttp } from '../../fixtures/testing/fake-http.ts';
import { payloadReader } from '../../fixtures/testing/payloads.ts';
import { testRobotContext } from '../../fixtures/testing/robot-context.ts';
import { rejectionOf } from '../../fixtures/testing/robot-errors.ts';
import { fixedClock } from '../../src/infra/clock.ts';
import type { HttpResponse } from '../../src/robot-kit/index.ts';
import { createAmazonClient } from './client.ts';

const payload = payloadReader('amazon');
const settings = { spapiUrl: 'https://sp.test', lwaUrl: 'https://lwa.test', clientId: 'id', clientSecret: 'secret', refreshToken: 'Atzr|r', marketplaceIds: ['A13V1IB3VIYZZH'], timeoutMs: 1000 };

/** A client whose getOrders calls are answered in turn; tokens come from a counting cache. */
function clientAnswering(...answers: HttpResponse[]) {
  const http = fakeHttp(() => answers.shift() ?? { status: 200, headers: {}, text: '{"payload":{"Orders":[]}}' });
  const issued: string[] = [];
  const tokens = { get: async () => `token-${issued.push('x')}`, invalidate: async () => {} };
  return { http, issued, client: createAmazonClient(testRobotContext({ http, tokens, clock: fixedClock('2026-03-10T09:00:00Z') }), settings) };
}

describe('getOrders errors', () => {
  it('asks once more with a fresh token when Amazon says the token expired', async () => {
    const { client, http, issued } = clientAnswering({ status: 403, headers: {}, text: payload('expired-token-403.json') });
    expect(await client.getOrders({ LastUpdatedAfter: 'x' })).toContain('Orders');
    expect(issued).toHaveLength(2);
    expect(http.requests.map((request) => request.headers?.['x-amz-access-token'])).toEqual(['token-1', 'token-2']);
  });

  it.each([
    [403, 'access-denied-403.json', {}, 'CARRIER_AUTH_REFUSED', undefined],
    [400, 'invalid-input-400.json', {}, 'CARRIER_BAD_REQUEST', undefined],
    [429, 'quota-exceeded-429.json', { 'x-amzn-ratelimit-limit': '0.0167' }, 'CARRIER_RATE_LIMITED', 59_881],
    [429, 'quota-exceeded-429.json', { 'retry-after': '5' }, 'CARRIER_RATE_LIMITED', 5000],
    [503, 'quota-exceeded-429.json', {}, 'CARRIER_UNAVAILABLE', undefined],
  ])('HTTP %i (%s, %j) -> %s', async (status, file, headers, code, retryAfterMs) => {
    const { client, issued } = clientAnswering({ status, headers, text: payload(file) });
    const error = await rejectionOf(client.getOrders({}));
    expect(error).toMatchObject({ code, retryAfterMs });
    expect(issued).toHaveLength(1);
  });

  it('reads refused LWA credentials as auth refused, without the secret in the message', async () => {
    const http = fakeHttp({ status: 400, headers: {}, text: payload('lwa-invalid-grant-400.json') });
    const tokens = { get: async (_key: string, fetch: () => Promise<{ token: string }>) => (await fetch()).token, invalidate: async () => {} };
    const client = createAmazonClient(testRobotContext({ http, tokens, clock: fixedClock('2026-03-10T09:00:00Z') }), settings);
    const error = await rejectionOf(client.getOrders({}));
    expect(error).toMatchObject({ code: 'CARRIER_AUTH_REFUSED', evidence: { step: 'lwa token' } });
    expect(http.requests[0]?.body).toBe('grant_type=refresh_token&refresh_token=Atzr%7Cr&client_id=id&client_secret=secret');
    expect(error.message).not.toContain('secret&');
  });

  it.each([
    ['a line break in the token', '{"access_token":"Atza|x\\n","expires_in":3600}', 'access_token: expected an access token of printable ASCII characters'],
    ['a lifetime past a year', '{"access_token":"Atza|x","expires_in":99999999999}', 'expires_in: '],
  ])('refuses an LWA answer with %s, without the token in its evidence', async (_, text, detail) => {
    const http = fakeHttp({ status: 200, headers: {}, text });
    const tokens = { get: async (_key: string, fetch: () => Promise<{ token: string }>) => (await fetch()).token, invalidate: async () => {} };
    const client = createAmazonClient(testRobotContext({ http, tokens, clock: fixedClock('2026-03-10T09:00:00Z') }), settings);
    const error = await rejectionOf(client.getOrders({}));
    expect(error).toMatchObject({ code: 'CARRIER_BAD_PAYLOAD', message: expect.stringContaining(detail), evidence: { step: 'lwa token' } });
    expect(error.evidence?.body).not.toContain('Atza|x');
  });
});
