import { describe, expect, it } from 'vitest';
import { configErrorsOf } from '../../fixtures/testing/config-errors.ts';
import { testRobotContext } from '../../fixtures/testing/robot-context.ts';
import { type HttpRequest, type HttpResponse, type IssuedToken, RobotError, type TokenCache } from '../../src/robot-kit/index.ts';
import fedex from './index.ts';

const configErrors = (env: Record<string, string>): string[] => configErrorsOf(fedex.config, env);

describe('the fedex robot', () => {
  it('declares itself as an API robot tracking 30 numbers a call, 1,400 calls per 10 s', () => {
    expect(fedex).toMatchObject({ id: 'fedex', kind: 'api', capabilities: { track: { maxBatch: 30, rateLimit: { max: 1400, durationMs: 10_000 } } } });
  });
});

describe('config', () => {
  it('defaults everything but the credentials', () => {
    expect(fedex.config.parse({})).toEqual({ FEDEX_API_URL: 'https://apis.fedex.com', FEDEX_TIMEOUT_MS: 10_000 });
  });

  it("reads the environment's strings", () => {
    const env = { FEDEX_API_URL: 'https://apis-sandbox.fedex.com', FEDEX_CLIENT_ID: 'l7xxabc', FEDEX_CLIENT_SECRET: 'secret', FEDEX_TIMEOUT_MS: '2500' };
    expect(fedex.config.parse(env)).toEqual({ ...env, FEDEX_TIMEOUT_MS: 2500 });
  });

  it.each([
    [{ FEDEX_API_URL: 'apis.fedex.com' }, 'FEDEX_API_URL: must be an http(s) URL, e.g. https://apis.fedex.com (sandbox: https://apis-sandbox.fedex.com)'],
    [{ FEDEX_CLIENT_ID: '' }, 'FEDEX_CLIENT_ID: must be the API key of a developer.fedex.com project, not empty and without spaces'],
    [{ FEDEX_CLIENT_SECRET: 'a b' }, 'FEDEX_CLIENT_SECRET: must be the secret key of a developer.fedex.com project, not empty and without spaces'],
    [{ FEDEX_TIMEOUT_MS: '0' }, 'FEDEX_TIMEOUT_MS: must be a whole number of milliseconds greater than 0, e.g. 10000'],
    [{ FEDEX_TIMEOUT_MS: 'soon' }, 'FEDEX_TIMEOUT_MS: must be a whole number of milliseconds greater than 0, e.g. 10000'],
  ])('refuses %j', (env, message) => {
    expect(configErrors(env)).toEqual([message]);
  });
});

describe('checkTrackingNumber', () => {
  it.each(['791157309435', '576914547260866', '61290610528787520118', '9612019682597060516964', '1001602649807726572569156732216670', '791157309436'])(
    'accepts %s',
    (number) => {
      expect(fedex.checkTrackingNumber(number)).toBeNull();
    },
  );

  it.each(['79115730943', '10016026498077265725691567322166701', '1Z999AA10123456784', '7911 5730 9435', ''])('refuses %j', (number) => {
    expect(fedex.checkTrackingNumber(number)).toBe('FedEx numbers have 12 to 34 digits');
  });
});

describe('recognize', () => {
  it.each([
    ['791157309435', 'FedEx Express (12)', 'valid'],
    ['791157309436', 'FedEx Express (12)', 'invalid'],
    ['576914547260866', 'FedEx Ground', 'valid'],
    ['576914547260867', 'FedEx Ground', 'invalid'],
    ['61290610528787520118', 'FedEx SmartPost', 'valid'],
    ['9612019682597060516964', 'FedEx Ground 96 (22)', 'valid'],
    ['1001602649807726572569156732216670', 'FedEx Express (34)', 'valid'],
    ['1001602649807726572569156732216671', 'FedEx Express (34)', 'invalid'],
  ])('sees %s as %s with a %s check digit', (number, format, checkDigit) => {
    expect(fedex.recognize?.(number)).toContainEqual({ format, checkDigit });
  });

  it.each(['1Z999AA10123456784', '6A18987970674', '12345'])('sees no FedEx format in %s', (number) => {
    expect(fedex.recognize?.(number)).toEqual([]);
  });
});

const CREDENTIALS = { FEDEX_API_URL: 'https://apis.fedex.com', FEDEX_CLIENT_ID: 'client-id', FEDEX_CLIENT_SECRET: 'client-secret' };

/**
 * FedEx as the robot sees it: tokens numbered from 1 (or every token request refused with
 * `tokenStatus`); track calls answer `trackStatuses` in turn, then 200 with every number unknown.
 */
function fakeFedEx(options: { tokenStatus?: number; trackStatuses?: number[] } = {}) {
  const requests: HttpRequest[] = [];
  const trackStatuses = [...(options.trackStatuses ?? [])];
  let tokensIssued = 0;
  const cached = new Map<string, string>();
  const invalidated: string[] = [];
  const tokens: TokenCache = {
    async get(key: string, fetch: () => Promise<IssuedToken>) {
      if (!cached.has(key)) cached.set(key, (await fetch()).token);
      return cached.get(key)!;
    },
    async invalidate(key: string, token: string) {
      invalidated.push(token);
      if (cached.get(key) === token) cached.delete(key);
    },
  };
  const json = (status: number, body: unknown): HttpResponse => ({ status, headers: {}, text: JSON.stringify(body) });
  const context = testRobotContext({
    clock: { now: () => new Date('2024-03-14T12:00:00Z') },
    tokens,
    http: {
      request: async (request) => {
        requests.push(request);
        if (request.url.endsWith('/oauth/token')) {
          if (options.tokenStatus) return json(options.tokenStatus, { errors: [{ code: 'NOT.AUTHORIZED.ERROR', message: 'The given client credentials were not valid.' }] });
          tokensIssued += 1;
          return json(200, { access_token: `token-${tokensIssued}`, token_type: 'bearer', expires_in: 3599, scope: 'CXS-TP' });
        }
        const status = trackStatuses.shift() ?? 200;
        if (status !== 200) return json(status, { transactionId: 't', errors: [{ code: 'NOT.AUTHORIZED.ERROR', message: 'Access token expired.' }] });
        const { trackingInfo } = JSON.parse(request.body ?? '{}') as { trackingInfo: { trackingNumberInfo: { trackingNumber: string } }[] };
        const unknown = { error: { code: 'TRACKING.TRACKINGNUMBER.NOTFOUND', message: 'Tracking number cannot be found.' } };
        const completeTrackResults = trackingInfo.map(({ trackingNumberInfo }) => ({ trackingNumber: trackingNumberInfo.trackingNumber, trackResults: [unknown] }));
        return json(200, { transactionId: 't', output: { completeTrackResults } });
      },
    },
  });
  const tracked = () => requests.filter((request) => request.url.endsWith('/trackingnumbers'));
  const numbersPerCall = () => tracked().map((request) => (JSON.parse(request.body ?? '{}') as { trackingInfo: unknown[] }).trackingInfo.length);
  return { context, requests, tracked, numbersPerCall, invalidated, tokenRequests: () => requests.filter((request) => request.url.endsWith('/oauth/token')).length };
}

function robotOn(fake: ReturnType<typeof fakeFedEx>, env: Record<string, string> = CREDENTIALS) {
  return fedex.create(fake.context, fedex.config.parse(env));
}

describe('track', () => {
  it.each([
    [{ FEDEX_CLIENT_SECRET: 's' }, /^FEDEX_CLIENT_ID is not set: take the API key from a project with the Track API at developer\.fedex\.com/],
    [{ FEDEX_CLIENT_ID: 'c' }, /^FEDEX_CLIENT_SECRET is not set: take the secret key from a project with the Track API at developer\.fedex\.com/],
  ])('refuses to call FedEx without both credentials (%j)', async (env, message) => {
    const fake = fakeFedEx();
    const error = await robotOn(fake, env).track(['791157309435']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RobotError);
    expect(error).toMatchObject({ code: 'ROBOT_NOT_CONFIGURED', message: expect.stringMatching(message) });
    expect(fake.requests).toEqual([]);
  });

  it('asks each distinct number once, answers every position, and refuses an empty number alone', async () => {
    const fake = fakeFedEx();
    const outcomes = await robotOn(fake).track(['791157309435', '', '576914547260866', '791157309435']);
    expect(outcomes.map((outcome) => [outcome.trackingNumber, outcome.kind])).toEqual([
      ['791157309435', 'not_found'],
      ['', 'rejected'],
      ['576914547260866', 'not_found'],
      ['791157309435', 'not_found'],
    ]);
    expect(fake.numbersPerCall()).toEqual([2]);
    expect(fake.tokenRequests()).toBe(1);
  });

  it('never sends more than 30 numbers in one call', async () => {
    const fake = fakeFedEx();
    const numbers = Array.from({ length: 31 }, (_, i) => String(700_000_000_000 + i));
    const outcomes = await robotOn(fake).track(numbers);
    expect(outcomes.map((outcome) => outcome.trackingNumber)).toEqual(numbers);
    expect(fake.numbersPerCall()).toEqual([30, 1]);
    expect(fake.tokenRequests()).toBe(1);
  });

  it('refreshes a refused token once, then succeeds', async () => {
    const fake = fakeFedEx({ trackStatuses: [401] });
    const [outcome] = await robotOn(fake).track(['791157309435']);
    expect(outcome?.kind).toBe('not_found');
    expect(fake.invalidated).toEqual(['token-1']);
    expect(fake.tracked().map((request) => request.headers?.Authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(fake.tokenRequests()).toBe(2);
  });

  it('gives up on a second 401: the credentials are refused, final', async () => {
    const fake = fakeFedEx({ trackStatuses: [401, 401] });
    const error = await robotOn(fake).track(['791157309435']).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'CARRIER_AUTH_REFUSED', policy: 'final' });
    expect(fake.tracked()).toHaveLength(2);
    expect(fake.tokenRequests()).toBe(2);
    expect(JSON.stringify(error)).not.toMatch(/token-\d|client-secret/);
  });

  it('does not track at all when the token request is refused', async () => {
    const fake = fakeFedEx({ tokenStatus: 401 });
    const error = await robotOn(fake).track(['791157309435']).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'CARRIER_AUTH_REFUSED', evidence: { request: { method: 'POST', url: 'https://apis.fedex.com/oauth/token' }, status: 401 } });
    expect(fake.tokenRequests()).toBe(1);
    expect(fake.tracked()).toEqual([]);
  });

  it('does not refresh on a 403: the project lacks the permission, a new token would not have it', async () => {
    const fake = fakeFedEx({ trackStatuses: [403] });
    const error = await robotOn(fake).track(['791157309435']).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'CARRIER_AUTH_REFUSED' });
    expect(fake.tokenRequests()).toBe(1);
  });
});
