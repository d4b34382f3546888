import { describe, expect, it } from 'vitest';
import { configErrorsOf } from '../../fixtures/testing/config-errors.ts';
import { fakeHttp } from '../../fixtures/testing/fake-http.ts';
import { payloadReader } from '../../fixtures/testing/payloads.ts';
import { testRobotContext } from '../../fixtures/testing/robot-context.ts';
import { readTestParcels } from '../../fixtures/testing/test-parcels.ts';
import { fixedClock } from '../../src/infra/clock.ts';
import { type HttpRequest, type RobotContext, RobotError } from '../../src/robot-kit/index.ts';
import ups from './index.ts';

const configErrors = (env: Record<string, string>): string[] => configErrorsOf(ups.config, env);

describe('the ups robot', () => {
  it('declares itself as an API robot tracking one number a call, with no assumed rate limit', () => {
    expect(ups).toMatchObject({ id: 'ups', kind: 'api', capabilities: { track: { maxBatch: 1 } } });
    expect(ups.capabilities.track?.rateLimit).toBeUndefined();
  });
});

describe('config', () => {
  it('defaults everything but the credentials', () => {
    expect(ups.config.parse({})).toEqual({ UPS_API_URL: 'https://onlinetools.ups.com', UPS_TRANSACTION_SRC: 'parcelbot', UPS_LOCALE: 'en_US', UPS_TIMEOUT_MS: 10_000 });
  });

  it('reads the environment\'s strings', () => {
    const env = {
      UPS_API_URL: 'https://wwwcie.ups.com',
      UPS_CLIENT_ID: 'abc123',
      UPS_CLIENT_SECRET: 's3cr3t',
      UPS_TRANSACTION_SRC: 'shop.web-1',
      UPS_LOCALE: 'fr_FR',
      UPS_TIMEOUT_MS: '2500',
    };
    expect(ups.config.parse(env)).toEqual({ ...env, UPS_TIMEOUT_MS: 2500 });
  });

  it.each([
    [{ UPS_API_URL: 'onlinetools.ups.com' }, 'UPS_API_URL: must be an http(s) URL, e.g. https://onlinetools.ups.com (or https://wwwcie.ups.com to test)'],
    [{ UPS_CLIENT_ID: '' }, 'UPS_CLIENT_ID: must be the Client ID of your app at developer.ups.com, not empty and without spaces'],
    [{ UPS_CLIENT_SECRET: 'a b' }, 'UPS_CLIENT_SECRET: must be the Client Secret of your app at developer.ups.com, not empty and without spaces'],
    [{ UPS_TRANSACTION_SRC: 'my shop' }, 'UPS_TRANSACTION_SRC: must name the calling application in 1 to 64 letters, digits, dots, dashes or underscores, e.g. parcelbot'],
    [{ UPS_LOCALE: 'fr' }, 'UPS_LOCALE: must be a language and country code such as en_US or fr_FR'],
    [{ UPS_TIMEOUT_MS: '0' }, 'UPS_TIMEOUT_MS: must be a whole number of milliseconds greater than 0, e.g. 10000'],
    [{ UPS_TIMEOUT_MS: 'ten' }, 'UPS_TIMEOUT_MS: must be a whole number of milliseconds greater than 0, e.g. 10000'],
  ])('refuses %j', (env, message) => {
    expect(configErrors(env)).toEqual([message]);
  });

  it('never echoes a value in its messages', () => {
    expect(configErrors({ UPS_CLIENT_SECRET: 'leaked secret' }).join(' ')).not.toContain('leaked');
  });
});

describe('checkTrackingNumber', () => {
  it.each(['1Z5R89390357567127', '1Z5R89390357567128', 'K1506235620', '1234567', '9'.repeat(34), '92419900000033499522966220'])('accepts %s', (number) => {
    expect(ups.checkTrackingNumber(number)).toBeNull();
  });

  it.each(['123456', '9'.repeat(35), '1Z5R8939-0357567127', '1Z 5R89390357567127', ''])('refuses %j', (number) => {
    expect(ups.checkTrackingNumber(number)).toBe('UPS numbers have 7 to 34 letters or digits');
  });
});

describe('recognize', () => {
  it.each([
    ['1Z5R89390357567127', [{ format: 'UPS', checkDigit: 'valid' }]],
    ['1ZA4V7296879296564', [{ format: 'UPS', checkDigit: 'valid' }]],
    ['1Z5R89390357567128', [{ format: 'UPS', checkDigit: 'invalid' }]],
    ['K1506235620', [{ format: 'UPS Waybill', checkDigit: 'valid' }]],
    ['K1506235622', [{ format: 'UPS Waybill', checkDigit: 'invalid' }]],
    ['6A18987970674', []],
    ['1234567', []],
  ])('%s fits %j', (number, formats) => {
    expect(ups.recognize?.(number)).toEqual(formats);
  });

  it('recognizes every number of the simulator\'s test catalog as a valid 1Z', () => {
    const parcels = readTestParcels('ups');
    for (const { trackingNumber } of parcels) expect(ups.recognize?.(trackingNumber), trackingNumber).toEqual([{ format: 'UPS', checkDigit: 'valid' }]);
  });
});

describe('track', () => {
  const delivered = payloadReader('ups')('delivered.json');

  function context(): RobotContext & { requests: HttpRequest[] } {
    const http = fakeHttp((request) =>
      request.url.endsWith('/oauth/token') ? { status: 200, headers: {}, text: '{"access_token":"tok","expires_in":"14399"}' } : { status: 200, headers: {}, text: delivered },
    );
    const tokens = { get: async () => 'tok', invalidate: async () => {} };
    return { ...testRobotContext({ http, tokens, clock: fixedClock('2024-07-10T10:00:00Z') }), requests: http.requests };
  }

  const configured = { UPS_CLIENT_ID: 'id', UPS_CLIENT_SECRET: 'secret', UPS_API_URL: 'http://127.0.0.1:4599/ups' };

  it('fetches then parses, one call per number, in order', async () => {
    const ctx = context();
    const robot = ups.create(ctx, ups.config.parse(configured));
    const outcomes = await robot.track(['1ZA4V7296877443667', '1ZA4V7296879296564']);
    expect(outcomes.map((outcome) => [outcome.trackingNumber, outcome.kind])).toEqual([
      ['1ZA4V7296877443667', 'found'],
      ['1ZA4V7296879296564', 'found'],
    ]);
    expect(outcomes[0]).toMatchObject({ snapshot: { status: 'delivered', carrier: 'ups' } });
    expect(ctx.requests.map((request) => request.url.split('?')[0])).toEqual([
      'http://127.0.0.1:4599/ups/api/track/v1/details/1ZA4V7296877443667',
      'http://127.0.0.1:4599/ups/api/track/v1/details/1ZA4V7296879296564',
    ]);
  });

  it.each([
    [{ UPS_CLIENT_SECRET: 'secret' }, /^UPS_CLIENT_ID is not set: create an app with the Tracking API at developer\.ups\.com/],
    [{ UPS_CLIENT_ID: 'id' }, /^UPS_CLIENT_SECRET is not set: /],
    [{}, /^UPS_CLIENT_ID and UPS_CLIENT_SECRET are not set: /],
  ])('refuses to call UPS without credentials (%j)', async (env, message) => {
    const ctx = context();
    const error = await ups.create(ctx, ups.config.parse(env)).track(['1ZA4V7296877443667']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RobotError);
    expect(error).toMatchObject({ code: 'ROBOT_NOT_CONFIGURED', message: expect.stringMatching(message) });
    expect(ctx.requests).toEqual([]);
  });
});
