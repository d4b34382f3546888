import { describe, expect, it } from 'vitest';
import { configErrorsOf } from '../../fixtures/testing/config-errors.ts';
import { fakeHttp } from '../../fixtures/testing/fake-http.ts';
import { payloadReader } from '../../fixtures/testing/payloads.ts';
import { keyOnlyTokens, testRobotContext } from '../../fixtures/testing/robot-context.ts';
import { type HttpRequest, type RobotContext, RobotError } from '../../src/robot-kit/index.ts';
import laposte from './index.ts';

const configErrors = (env: Record<string, string>): string[] => configErrorsOf(laposte.config, env);

const LANG_MESSAGE = 'must be one of fr_FR, en_GB, de_DE, es_ES, it_IT, nl_NL, the values Suivi v2 documents (for English, en_GB)';

describe('the laposte robot', () => {
  it('declares itself as an API robot tracking 10 numbers a call', () => {
    expect(laposte).toMatchObject({ id: 'laposte', kind: 'api', capabilities: { track: { maxBatch: 10 } } });
  });
});

describe('config', () => {
  it('defaults everything but the key', () => {
    expect(laposte.config.parse({})).toEqual({ LAPOSTE_API_URL: 'https://api.laposte.fr', LAPOSTE_LANG: 'fr_FR', LAPOSTE_TIMEOUT_MS: 10_000 });
  });

  it('reads the environment\'s strings', () => {
    const env = { LAPOSTE_API_URL: 'http://127.0.0.1:4321/laposte', LAPOSTE_API_KEY: 'abc123', LAPOSTE_LANG: 'en_GB', LAPOSTE_TIMEOUT_MS: '2500' };
    expect(laposte.config.parse(env)).toEqual({ ...env, LAPOSTE_TIMEOUT_MS: 2500 });
  });

  it.each([
    [{ LAPOSTE_API_URL: 'api.laposte.fr' }, 'LAPOSTE_API_URL: must be an http(s) URL, e.g. https://api.laposte.fr'],
    [{ LAPOSTE_API_URL: 'ftp://api.laposte.fr' }, 'LAPOSTE_API_URL: must be an http(s) URL, e.g. https://api.laposte.fr'],
    [{ LAPOSTE_API_KEY: '' }, 'LAPOSTE_API_KEY: must be the key from developer.laposte.fr, not empty and without spaces'],
    [{ LAPOSTE_API_KEY: 'abc 123' }, 'LAPOSTE_API_KEY: must be the key from developer.laposte.fr, not empty and without spaces'],
    [{ LAPOSTE_LANG: 'fr' }, `LAPOSTE_LANG: ${LANG_MESSAGE}`],
    // karrio's value, which La Poste does not document.
    [{ LAPOSTE_LANG: 'en_US' }, `LAPOSTE_LANG: ${LANG_MESSAGE}`],
    [{ LAPOSTE_TIMEOUT_MS: 'ten' }, 'LAPOSTE_TIMEOUT_MS: must be a whole number of milliseconds greater than 0, e.g. 10000'],
    [{ LAPOSTE_TIMEOUT_MS: '0' }, 'LAPOSTE_TIMEOUT_MS: must be a whole number of milliseconds greater than 0, e.g. 10000'],
    [{ LAPOSTE_TIMEOUT_MS: '1.5' }, 'LAPOSTE_TIMEOUT_MS: must be a whole number of milliseconds greater than 0, e.g. 10000'],
  ])('refuses %j', (env, message) => {
    expect(configErrors(env)).toEqual([message]);
  });
});

describe('checkTrackingNumber', () => {
  it.each(['6A18987970674', 'EW112720413FR', '12345678901', 'AB1234567890123'])('accepts %s', (number) => {
    expect(laposte.checkTrackingNumber(number)).toBeNull();
  });

  it.each(['1234567890', 'AB12345678901234', '6A1898797-674', '6A1898 797674', ''])('refuses %j', (number) => {
    expect(laposte.checkTrackingNumber(number)).toBe('La Poste numbers have 11 to 15 letters or digits');
  });
});

describe('track', () => {
  const delivered = payloadReader('laposte')('delivered.json');

  function context(): RobotContext & { requests: HttpRequest[] } {
    const http = fakeHttp({ status: 200, headers: {}, text: delivered });
    const clock = { now: () => new Date('2024-03-13T12:00:00+01:00') };
    return { ...testRobotContext({ http, clock, tokens: keyOnlyTokens('La Poste') }), requests: http.requests };
  }

  it('fetches then parses', async () => {
    const ctx = context();
    const robot = laposte.create(ctx, laposte.config.parse({ LAPOSTE_API_KEY: 'key', LAPOSTE_API_URL: 'http://127.0.0.1:4321/laposte' }));
    const [outcome] = await robot.track(['6A21000000011']);
    expect(outcome).toMatchObject({ trackingNumber: '6A21000000011', kind: 'found', snapshot: { status: 'delivered' } });
    expect(ctx.requests.map((request) => request.url)).toEqual(['http://127.0.0.1:4321/laposte/suivi/v2/idships/6A21000000011?lang=fr_FR']);
  });

  it('refuses to call La Poste without a key', async () => {
    const ctx = context();
    const robot = laposte.create(ctx, laposte.config.parse({}));
    const error = await robot.track(['6A21000000011']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RobotError);
    expect(error).toMatchObject({ code: 'ROBOT_NOT_CONFIGURED', message: expect.stringMatching(/^LAPOSTE_API_KEY is not set: get a key at developer\.laposte\.fr/) });
    expect(ctx.requests).toEqual([]);
  });
});
