import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../../fixtures/testing/robot-errors.ts';
import { fixedClock } from '../../src/infra/clock.ts';
import type { HttpClient, HttpRequest, HttpResponse, TokenCache } from '../../src/robot-kit/index.ts';
import { REFUSED_CREDENTIALS_PAUSE_MS } from '../../src/robot-kit/index.ts';
import { type UpsSettings, createUpsClient } from './client.ts';

const settings: UpsSettings = {
  apiUrl: 'https://onlinetools.ups.com',
  clientId: 'client-id-abc',
  clientSecret: 'client-secret-xyz',
  transactionSrc: 'parcelbot',
  locale: 'en_US',
  timeoutMs: 10_000,
};

const TOKEN_BODY = (token: string) => JSON.stringify({ token_type: 'Bearer', issued_at: '1720605600000', client_id: 'client-id-abc', access_token: token, expires_in: '14399', status: 'approved' });
const TRACKED = { status: 200, headers: {}, text: '{"trackResponse":{"shipment":[]}}' };
const REFUSED_TOKEN = { status: 401, headers: {}, text: '{"response":{"errors":[{"code":"250003","message":"Invalid Access License number"}]}}' };

/**
 * An HttpClient that answers token requests with `token-1`, `token-2`... (or `tokenAnswer`) and
 * track calls with `trackAnswers` in turn (the last one repeats), recording every request.
 */
function fakeUps(options: { tokenAnswer?: HttpResponse; trackAnswers?: HttpResponse[] } = {}): HttpClient & { requests: HttpRequest[]; tokenRequests(): HttpRequest[]; trackRequests(): HttpRequest[] } {
  const requests: HttpRequest[] = [];
  const trackAnswers = options.trackAnswers ?? [TRACKED];
  let tokens = 0;
  let tracks = 0;
  return {
    requests,
    tokenRequests: () => requests.filter((r) => r.url.includes('/oauth/token')),
    trackRequests: () => requests.filter((r) => r.url.includes('/api/track/')),
    request: async (request) => {
      requests.push(request);
      if (request.url.includes('/oauth/token')) return options.tokenAnswer ?? { status: 200, headers: {}, text: TOKEN_BODY(`token-${++tokens}`) };
      return trackAnswers[Math.min(tracks++, trackAnswers.length - 1)]!;
    },
  };
}

/** The TokenCache contract in memory: one token per key until invalidated. */
function memoryTokens(): TokenCache & { fetches: number; expiresInMs: number[] } {
  const tokens = new Map<string, string>();
  const cache = {
    fetches: 0,
    expiresInMs: [] as number[],
    async get(key: string, fetch: () => Promise<{ token: string; expiresInMs: number }>) {
      const cached = tokens.get(key);
      if (cached) return cached;
      cache.fetches += 1;
      const issued = await fetch();
      cache.expiresInMs.push(issued.expiresInMs);
      tokens.set(key, issued.token);
      return issued.token;
    },
    async invalidate(key: string, token: string) {
      if (tokens.get(key) === token) tokens.delete(key);
    },
  };
  return cache;
}

const clock = fixedClock('2024-07-10T10:00:00Z');

/** One look-up with a client made for it. */
const trackDetails = (context: Parameters<typeof createUpsClient>[0], upsSettings: UpsSettings, number: string) => createUpsClient(context, upsSettings).trackDetails(number);

describe('the token request', () => {
  it('posts the client credentials in Basic auth and grant_type as a form, and keeps the lifetime', async () => {
    const http = fakeUps();
    const tokens = memoryTokens();
    await createUpsClient({ http, tokens, clock }, settings).trackDetails('1Z5R89390357567127');
    expect(http.tokenRequests()).toEqual([
      {
        method: 'POST',
        url: 'https://onlinetools.ups.com/security/v1/oauth/token',
        headers: {
          Authorization: `Basic ${Buffer.from('client-id-abc:client-secret-xyz').toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
        timeoutMs: 10_000,
      },
    ]);
    expect(tokens.expiresInMs).toEqual([14_399_000]);
  });

  it.each([401, 403])('is refused for good at HTTP %i: CARRIER_AUTH_REFUSED after one request, no track call', async (status) => {
    const http = fakeUps({ tokenAnswer: { status, headers: {}, text: '{"response":{"errors":[{"code":"10401","message":"ClientId is Invalid"}]}}' } });
    const error = await rejectionOf(createUpsClient({ http, tokens: memoryTokens(), clock }, settings).trackDetails('1Z5R89390357567127'));
    expect(error).toMatchObject({ code: 'CARRIER_AUTH_REFUSED', evidence: { status, step: 'oauth token', request: { method: 'POST', url: 'https://onlinetools.ups.com/security/v1/oauth/token' } } });
    expect(error.message).toContain('check UPS_CLIENT_ID and UPS_CLIENT_SECRET (not offered again for 5 minutes)');
    expect(http.tokenRequests()).toHaveLength(1);
    expect(http.trackRequests()).toHaveLength(0);
    expect(JSON.stringify(error.evidence)).not.toContain(settings.clientSecret);
  });

  it('does not offer refused credentials again for a while, however many look-ups wait', async () => {
    const http = fakeUps({ tokenAnswer: { status: 401, headers: {}, text: '{}' } });
    const pausedClock = fixedClock('2024-07-10T10:00:00Z');
    const client = createUpsClient({ http, tokens: memoryTokens(), clock: pausedClock }, settings);
    for (let i = 0; i < 3; i++) expect(await rejectionOf(client.trackDetails('1Z5R89390357567127'))).toMatchObject({ code: 'CARRIER_AUTH_REFUSED', evidence: { status: 401 } });
    expect(http.tokenRequests()).toHaveLength(1);
    pausedClock.advance(REFUSED_CREDENTIALS_PAUSE_MS);
    await rejectionOf(client.trackDetails('1Z5R89390357567127'));
    expect(http.tokenRequests()).toHaveLength(2);
  });

  it.each<[HttpResponse, string]>([
    [{ status: 429, headers: { 'retry-after': '20' }, text: '{}' }, 'CARRIER_RATE_LIMITED'],
    [{ status: 503, headers: {}, text: '{}' }, 'CARRIER_UNAVAILABLE'],
    [{ status: 400, headers: {}, text: '{"response":{"errors":[{"code":"10400","message":"Invalid/Missing grant_type"}]}}' }, 'CARRIER_BAD_REQUEST'],
    [{ status: 200, headers: {}, text: '<html>' }, 'CARRIER_BAD_PAYLOAD'],
    [{ status: 200, headers: {}, text: '{"access_token":"secret-token-value","expires_in":"soon"}' }, 'CARRIER_BAD_PAYLOAD'],
    // A token no header can carry, a lifetime no cache can keep.
    [{ status: 200, headers: {}, text: '{"access_token":"secret\\r\\nX-Injected: 1","expires_in":"14399"}' }, 'CARRIER_BAD_PAYLOAD'],
    [{ status: 200, headers: {}, text: '{"access_token":"secret-token-value","expires_in":"99999999999999999999"}' }, 'CARRIER_BAD_PAYLOAD'],
  ])('fails on %j with %s', async (tokenAnswer, code) => {
    const error = await rejectionOf(trackDetails({ http: fakeUps({ tokenAnswer }), tokens: memoryTokens(), clock }, settings, '1Z5R89390357567127'));
    expect(error.code).toBe(code);
  });

  it('never keeps a usable token in the evidence of a bad token answer', async () => {
    const tokenAnswer = { status: 200, headers: {}, text: '{"access_token":"secret-token-value","expires_in":"soon"}' };
    const error = await rejectionOf(trackDetails({ http: fakeUps({ tokenAnswer }), tokens: memoryTokens(), clock }, settings, '1Z5R89390357567127'));
    expect(error.message).toMatch(/at expires_in/);
    expect(error.evidence?.body).toBe('{"access_token":"[redacted]","expires_in":"soon"}');
    expect(JSON.stringify(error)).not.toContain('secret-token-value');
  });

  it('accepts a numeric expires_in, as OAuth writes it', async () => {
    const tokens = memoryTokens();
    const tokenAnswer = { status: 200, headers: {}, text: '{"access_token":"t","expires_in":3600}' };
    await trackDetails({ http: fakeUps({ tokenAnswer }), tokens, clock }, settings, '1Z5R89390357567127');
    expect(tokens.expiresInMs).toEqual([3_600_000]);
  });
});

describe('the track call', () => {
  it.each([
    ['https://onlinetools.ups.com', 'https://onlinetools.ups.com/api/track/v1/details/1Z5R89390357567127?locale=en_US&returnSignature=false&returnMilestones=false&returnPOD=false'],
    ['http://127.0.0.1:4599/ups/', 'http://127.0.0.1:4599/ups/api/track/v1/details/1Z5R89390357567127?locale=en_US&returnSignature=false&returnMilestones=false&returnPOD=false'],
  ])('joins %s into %s', async (apiUrl, url) => {
    const http = fakeUps();
    await trackDetails({ http, tokens: memoryTokens(), clock }, { ...settings, apiUrl }, '1Z5R89390357567127');
    expect(http.trackRequests()[0]?.url).toBe(url);
    expect(http.tokenRequests()[0]?.url).toBe(`${apiUrl.replace(/\/$/, '')}/security/v1/oauth/token`);
  });

  it('sends the Bearer token, a fresh 32-character transId each call and the transactionSrc', async () => {
    const http = fakeUps();
    const tokens = memoryTokens();
    for (let i = 0; i < 3; i++) await trackDetails({ http, tokens, clock }, { ...settings, transactionSrc: 'shop-42', locale: 'fr_FR' }, '1Z5R89390357567127');
    const calls = http.trackRequests();
    for (const call of calls) {
      expect(call).toMatchObject({ method: 'GET', headers: { Authorization: 'Bearer token-1', transactionSrc: 'shop-42', Accept: 'application/json' }, timeoutMs: 10_000 });
      expect(call.headers?.transId).toMatch(/^[0-9a-f]{32}$/);
      expect(call.url).toContain('locale=fr_FR');
    }
    expect(new Set(calls.map((call) => call.headers?.transId)).size).toBe(3);
    expect(http.tokenRequests()).toHaveLength(1);
  });

  it('refreshes a refused token once, then succeeds', async () => {
    const http = fakeUps({ trackAnswers: [REFUSED_TOKEN, TRACKED] });
    const tokens = memoryTokens();
    expect(await createUpsClient({ http, tokens, clock }, settings).trackDetails('1Z5R89390357567127')).toEqual({ status: 200, text: TRACKED.text });
    expect(http.trackRequests().map((call) => call.headers?.Authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(tokens.fetches).toBe(2);
  });

  it('gives up at the second 401: CARRIER_AUTH_REFUSED, without a refresh storm', async () => {
    const http = fakeUps({ trackAnswers: [REFUSED_TOKEN] });
    const error = await rejectionOf(createUpsClient({ http, tokens: memoryTokens(), clock }, settings).trackDetails('1Z5R89390357567127'));
    expect(error).toMatchObject({ code: 'CARRIER_AUTH_REFUSED', evidence: { status: 401 } });
    expect(http.trackRequests()).toHaveLength(2);
    expect(http.tokenRequests()).toHaveLength(2);
    expect(JSON.stringify(error)).not.toMatch(/token-\d/);
  });

  it('does not refresh on a 403 (Blocked Merchant): the account is refused, not the token', async () => {
    const http = fakeUps({ trackAnswers: [{ status: 403, headers: {}, text: '{"response":{"errors":[{"code":"TB0403","message":"Blocked Merchant"}]}}' }] });
    const error = await rejectionOf(createUpsClient({ http, tokens: memoryTokens(), clock }, settings).trackDetails('1Z5R89390357567127'));
    expect(error.code).toBe('CARRIER_AUTH_REFUSED');
    expect(http.tokenRequests()).toHaveLength(1);
  });

  it('throws the shared errors itself, keeping Retry-After and no query string nor token in the evidence', async () => {
    const http = fakeUps({ trackAnswers: [{ status: 429, headers: { 'retry-after': '30' }, text: '{}' }] });
    const error = await rejectionOf(createUpsClient({ http, tokens: memoryTokens(), clock }, settings).trackDetails('1Z5R89390357567127'));
    expect(error).toMatchObject({
      code: 'CARRIER_RATE_LIMITED',
      retryAfterMs: 30_000,
      evidence: { request: { method: 'GET', url: 'https://onlinetools.ups.com/api/track/v1/details/1Z5R89390357567127' }, status: 429 },
    });
    expect(JSON.stringify(error)).not.toContain('token-1');
  });

  it('hands every other answer to the parser', async () => {
    const answer = { status: 404, headers: {}, text: '{"response":{"errors":[{"code":"TW0001","message":"Tracking Information Not Found"}]}}' };
    const http = fakeUps({ trackAnswers: [answer] });
    expect(await createUpsClient({ http, tokens: memoryTokens(), clock }, settings).trackDetails('1Z5R89390357567127')).toEqual({ status: 404, text: answer.text });
  });

  it('keys the shared token by host and client id, never by secret', async () => {
    const keys: string[] = [];
    const tokens = memoryTokens();
    const spy: TokenCache = { get: (key, fetch) => (keys.push(key), tokens.get(key, fetch)), invalidate: tokens.invalidate };
    await createUpsClient({ http: fakeUps(), tokens: spy, clock }, settings).trackDetails('1Z5R89390357567127');
    await trackDetails({ http: fakeUps(), tokens: spy, clock }, { ...settings, apiUrl: 'https://wwwcie.ups.com' }, '1Z5R89390357567127');
    expect(keys).toEqual(['ups:https://onlinetools.ups.com:client-id-abc', 'ups:https://wwwcie.ups.com:client-id-abc']);
  });
});
