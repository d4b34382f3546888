import { describe, expect, it } from 'vitest';
import { configErrorsOf } from '../../fixtures/testing/config-errors.ts';
import { fakeHttp } from '../../fixtures/testing/fake-http.ts';
import { payloadReader } from '../../fixtures/testing/payloads.ts';
import { keyOnlyTokens, testRobotContext } from '../../fixtures/testing/robot-context.ts';
import { type HttpRequest, type HttpResponse, type RobotContext, RobotError } from '../../src/robot-kit/index.ts';
import dhl from './index.ts';

const configErrors = (env: Record<string, string>): string[] => configErrorsOf(dhl.config, env);

describe('the dhl robot', () => {
  it('declares itself as an API robot tracking one number a call, at DHL\'s initial 1 call per second', () => {
    expect(dhl).toMatchObject({ id: 'dhl', kind: 'api', capabilities: { track: { maxBatch: 1, rateLimit: { max: 1, durationMs: 1000 } } } });
  });
});

describe('config', () => {
  it('defaults everything but the key', () => {
    expect(dhl.config.parse({})).toEqual({ DHL_API_URL: 'https://api-eu.dhl.com', DHL_LANGUAGE: 'en', DHL_TIMEOUT_MS: 10_000 });
  });

  it('reads the environment\'s strings', () => {
    const env = { DHL_API_URL: 'http://127.0.0.1:4321/dhl', DHL_API_KEY: 'abc123', DHL_LANGUAGE: 'de', DHL_TIMEOUT_MS: '2500' };
    expect(dhl.config.parse(env)).toEqual({ ...env, DHL_TIMEOUT_MS: 2500 });
  });

  it.each([
    [{ DHL_API_URL: 'api-eu.dhl.com' }, 'DHL_API_URL: must be an http(s) URL, e.g. https://api-eu.dhl.com'],
    [{ DHL_API_URL: 'ftp://api-eu.dhl.com' }, 'DHL_API_URL: must be an http(s) URL, e.g. https://api-eu.dhl.com'],
    [{ DHL_API_KEY: '' }, 'DHL_API_KEY: must be the API key of your app at developer.dhl.com, not empty and without spaces'],
    [{ DHL_API_KEY: 'abc 123' }, 'DHL_API_KEY: must be the API key of your app at developer.dhl.com, not empty and without spaces'],
    [{ DHL_LANGUAGE: 'fr' }, "DHL_LANGUAGE: must be one of en, de: the robot reads DHL's status texts in these languages"],
    [{ DHL_TIMEOUT_MS: 'ten' }, 'DHL_TIMEOUT_MS: must be a whole number of milliseconds greater than 0, e.g. 10000'],
    [{ DHL_TIMEOUT_MS: '0' }, 'DHL_TIMEOUT_MS: must be a whole number of milliseconds greater than 0, e.g. 10000'],
    [{ DHL_TIMEOUT_MS: '1.5' }, 'DHL_TIMEOUT_MS: must be a whole number of milliseconds greater than 0, e.g. 10000'],
  ])('refuses %j', (env, message) => {
    expect(configErrors(env)).toEqual([message]);
  });
});

describe('checkTrackingNumber and recognize', () => {
  it.each(['3318810025', '00340434292135100186', '470800204932', 'JJD0099999999', 'GM2951173225174494'])('accepts %s', (number) => {
    expect(dhl.checkTrackingNumber(number)).toBeNull();
  });

  it.each(['123456', 'ABCDEFGHIJ', '3318-810025', ''])('refuses %j', (number) => {
    expect(dhl.checkTrackingNumber(number)).toBe('DHL numbers have 7 to 40 letters or digits, at least one of them a digit');
  });

  it('recognizes the dataset\'s formats and DHL Paket\'s SSCC, with their check digit', () => {
    expect(dhl.recognize?.('3318810025')).toEqual([{ format: 'DHL Express', checkDigit: 'valid' }]);
    expect(dhl.recognize?.('3318810034')).toEqual([{ format: 'DHL Express', checkDigit: 'invalid' }]);
    expect(dhl.recognize?.('00340434292135100186')).toEqual([{ format: 'DHL Paket (SSCC)', checkDigit: 'valid' }]);
    expect(dhl.recognize?.('6A18987970674')).toEqual([]);
  });
});

describe('track', () => {
  const payload = payloadReader('dhl');
  const delivered = payload('delivered-parcel-de-capture.json');
  const notFound = payload('not-found-404.json');

  function context(answer: (request: HttpRequest) => HttpResponse): RobotContext & { requests: HttpRequest[] } {
    const http = fakeHttp(answer);
    const clock = { now: () => new Date('2023-03-14T12:00:00+01:00') };
    return { ...testRobotContext({ http, clock, tokens: keyOnlyTokens('DHL') }), requests: http.requests };
  }

  const settings = dhl.config.parse({ DHL_API_KEY: 'key', DHL_API_URL: 'http://127.0.0.1:4321/dhl', DHL_LANGUAGE: 'de' });

  it('calls once per number, in order, and parses each answer', async () => {
    const ctx = context((request) =>
      request.url.includes('470800204932') ? { status: 200, headers: {}, text: delivered } : { status: 404, headers: {}, text: notFound },
    );
    const outcomes = await dhl.create(ctx, settings).track(['470800204932', '3318810025']);
    expect(outcomes.map((outcome) => [outcome.trackingNumber, outcome.kind])).toEqual([
      ['470800204932', 'found'],
      ['3318810025', 'not_found'],
    ]);
    expect(ctx.requests.map((request) => request.url)).toEqual([
      'http://127.0.0.1:4321/dhl/track/shipments?trackingNumber=470800204932&language=de',
      'http://127.0.0.1:4321/dhl/track/shipments?trackingNumber=3318810025&language=de',
    ]);
  });

  it('rejects a number the API would not take without spending a call on it', async () => {
    const ctx = context(() => ({ status: 200, headers: {}, text: delivered }));
    const [outcome] = await dhl.create(ctx, settings).track(['12-34']);
    expect(outcome?.kind).toBe('rejected');
    expect(outcome?.kind === 'rejected' && outcome.error.code).toBe('TRACKING_NUMBER_INVALID');
    expect(ctx.requests).toEqual([]);
  });

  it('refuses to call DHL without a key', async () => {
    const ctx = context(() => ({ status: 200, headers: {}, text: delivered }));
    const error = await dhl.create(ctx, dhl.config.parse({})).track(['470800204932']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RobotError);
    expect(error).toMatchObject({ code: 'ROBOT_NOT_CONFIGURED', message: expect.stringMatching(/^DHL_API_KEY is not set: create an app .* at developer\.dhl\.com/) });
    expect(ctx.requests).toEqual([]);
  });
});
