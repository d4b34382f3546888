import { describe, expect, it } from 'vitest';
import { configErrorsOf } from '../../fixtures/testing/config-errors.ts';
import { fakeHttp } from '../../fixtures/testing/fake-http.ts';
import { keyOnlyTokens, testRobotContext } from '../../fixtures/testing/robot-context.ts';
import { rejectionOf } from '../../fixtures/testing/robot-errors.ts';
import { detectCarriers } from '../../src/robot-kit/carrier-detection.ts';
import { RobotRegistry } from '../../src/robot-kit/registry.ts';
import relay from './index.ts';

const configErrors = (env: Record<string, string>): string[] => configErrorsOf(relay.config, env);
const FULL = { RELAY_PORTAL_URL: 'https://pro.relay.example', RELAY_PORTAL_LOGIN: 'ops@shop.example', RELAY_PORTAL_PASSWORD: 'secret' };

/** The robot with a portal that fails the test if anything reaches it. */
function robotWith(env: Record<string, string>) {
  const context = testRobotContext({ http: fakeHttp({ status: 500, headers: {}, text: '' }), clock: { now: () => new Date('2024-07-10T10:00:00Z') }, tokens: keyOnlyTokens('relay portal') });
  return relay.create(context, relay.config.parse(env));
}

describe('the relay-portal robot', () => {
  it('declares a portal robot tracking one number per search, at a conservative rate', () => {
    expect(relay).toMatchObject({ id: 'relay-portal', kind: 'portal', capabilities: { track: { maxBatch: 1, rateLimit: { max: 30, durationMs: 60_000 } } } });
  });

  it('is found by the registry, and is the carrier of its numbers', async () => {
    const registry = await RobotRegistry.load();
    expect(registry.find('relay-portal')).toBe(relay);
    expect(detectCarriers(registry, 'RP3182746507')).toEqual([{ carrier: 'relay-portal', format: 'Relay parcel (RP + 10 digits)', checkDigit: 'valid' }]);
  });
});

describe('config', () => {
  it('has no default host, and a 15 s timeout', () => {
    expect(relay.config.parse({})).toEqual({ RELAY_PORTAL_TIMEOUT_MS: 15_000 });
  });

  it("reads the environment's strings; an authenticator key's spaces and case do not matter", () => {
    expect(relay.config.parse({ ...FULL, RELAY_PORTAL_TOTP_SECRET: 'ti7a xxnz m634 4mjd', RELAY_PORTAL_TIMEOUT_MS: '2500' })).toEqual({
      ...FULL,
      RELAY_PORTAL_TOTP_SECRET: 'TI7AXXNZM6344MJD',
      RELAY_PORTAL_TIMEOUT_MS: 2500,
    });
  });

  it.each([
    [{ RELAY_PORTAL_URL: 'pro.relay.example' }, 'RELAY_PORTAL_URL: must be the http(s) address of the relay business portal, e.g. https://pro.relay.example'],
    [{ RELAY_PORTAL_LOGIN: '' }, 'RELAY_PORTAL_LOGIN: must not be empty'],
    [{ RELAY_PORTAL_PASSWORD: '' }, 'RELAY_PORTAL_PASSWORD: must not be empty'],
    [{ RELAY_PORTAL_TOTP_SECRET: '123456' }, "RELAY_PORTAL_TOTP_SECRET: must be the base32 key of the account's authenticator (letters A-Z and digits 2-7, 16 or more)"],
    [{ RELAY_PORTAL_TIMEOUT_MS: '0' }, 'RELAY_PORTAL_TIMEOUT_MS: must be a whole number of milliseconds greater than 0, e.g. 15000'],
  ])('refuses %j', (env, message) => {
    expect(configErrors(env)).toEqual([message]);
  });
});

describe('before reaching the portal', () => {
  it.each([
    [{}, 'RELAY_PORTAL_URL, RELAY_PORTAL_LOGIN, RELAY_PORTAL_PASSWORD not set'],
    [{ ...FULL, RELAY_PORTAL_PASSWORD: undefined }, 'RELAY_PORTAL_PASSWORD not set'],
  ])('names the settings missing (%j) in ROBOT_NOT_CONFIGURED, whatever is asked', async (env, message) => {
    const robot = robotWith(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)) as Record<string, string>);
    for (const call of [() => robot.track(['RP3182746507']), () => robot.returnLabel('RP3182746507'), () => robot.claimStatus(['CLM-1']), () => robot.checkPortal()]) {
      const error = await rejectionOf(call());
      expect(error.code).toBe('ROBOT_NOT_CONFIGURED');
      expect(error.message).toContain(message);
    }
  });

  it('rejects a number that cannot be the carrier\'s without searching for it', async () => {
    const [outcome] = await robotWith(FULL).track(['6A18987970674']);
    expect(outcome).toMatchObject({ trackingNumber: '6A18987970674', kind: 'rejected', error: { code: 'TRACKING_NUMBER_INVALID' } });
  });

  it.each([
    [{ currency: 'USD' }, 'the relay portal takes declared values in EUR only, not USD'],
    [{ declaredValue: 0 }, 'the declared value must be more than 0'],
    [{ description: '  ' }, 'the claim needs a description'],
  ])('refuses a claim the form would refuse (%j)', async (change, message) => {
    const claim = { type: 'lost' as const, trackingNumber: 'RP3182746507', declaredValue: 10, currency: 'EUR', description: 'gone', ...change };
    const error = await rejectionOf(robotWith(FULL).fileClaim(claim));
    expect(error).toMatchObject({ code: 'CARRIER_BAD_REQUEST', message });
  });

  it('asks nothing for no claim references', async () => {
    expect(await robotWith(FULL).claimStatus([])).toEqual([]);
  });
});
