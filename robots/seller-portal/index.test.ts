import { describe, expect, it } from 'vitest';
import { configErrorsOf } from '../../fixtures/testing/config-errors.ts';
import { keyOnlyTokens, testRobotContext } from '../../fixtures/testing/robot-context.ts';
import { rejectionOf } from '../../fixtures/testing/robot-errors.ts';
import { fakeHttp } from '../../fixtures/testing/fake-http.ts';
import { fixedClock } from '../../src/infra/clock.ts';
import sellerPortal from './index.ts';

const configErrors = (env: Record<string, string>): string[] => configErrorsOf(sellerPortal.config, env);

describe('the seller-portal robot', () => {
  it('declares itself as a portal robot that tracks nothing', () => {
    expect(sellerPortal).toMatchObject({ id: 'seller-portal', kind: 'portal', capabilities: {} });
    expect(sellerPortal.capabilities.track).toBeUndefined();
    expect(sellerPortal.checkTrackingNumber).toBeUndefined();
  });
});

describe('config', () => {
  it('defaults to plain HTTP and a 15 s timeout, with no URL or account', () => {
    expect(sellerPortal.config.parse({})).toEqual({ SELLER_PORTAL_MODE: 'http', SELLER_PORTAL_TIMEOUT_MS: 15_000 });
  });

  it("reads the environment's strings", () => {
    const env = { SELLER_PORTAL_URL: 'https://sellers.example.com/back-office', SELLER_PORTAL_LOGIN: 'ops@example.com', SELLER_PORTAL_PASSWORD: 'p w d', SELLER_PORTAL_MODE: 'browser', SELLER_PORTAL_TIMEOUT_MS: '30000' };
    expect(sellerPortal.config.parse(env)).toEqual({ ...env, SELLER_PORTAL_TIMEOUT_MS: 30_000 });
  });

  it.each([
    [{ SELLER_PORTAL_URL: 'sellers.example.com' }, 'SELLER_PORTAL_URL: must be the http(s) address of the seller back office, e.g. https://sellers.example-marketplace.com'],
    [{ SELLER_PORTAL_LOGIN: 'ops @example.com' }, 'SELLER_PORTAL_LOGIN: must be the e-mail the seller account signs in with, without spaces'],
    [{ SELLER_PORTAL_MODE: 'curl' }, 'SELLER_PORTAL_MODE: must be http (plain HTTP with cookies) or browser (Chromium)'],
    [{ SELLER_PORTAL_TIMEOUT_MS: '0' }, 'SELLER_PORTAL_TIMEOUT_MS: must be a whole number of milliseconds greater than 0, e.g. 15000'],
  ])('refuses %j', (env, message) => {
    expect(configErrors(env)).toEqual([message]);
  });
});

describe('not configured', () => {
  const robot = (env: Record<string, string>) =>
    sellerPortal.create(testRobotContext({ http: fakeHttp(), clock: fixedClock('2026-03-10T09:00:00Z'), tokens: keyOnlyTokens('The seller portal') }), sellerPortal.config.parse(env));
  const full = { SELLER_PORTAL_URL: 'https://sellers.example.com', SELLER_PORTAL_LOGIN: 'ops@example.com', SELLER_PORTAL_PASSWORD: 'secret' };

  it.each(['SELLER_PORTAL_URL', 'SELLER_PORTAL_LOGIN', 'SELLER_PORTAL_PASSWORD'])('fails with ROBOT_NOT_CONFIGURED naming %s, before any portal session', async (variable) => {
    const { [variable as keyof typeof full]: _, ...env } = full;
    const error = await rejectionOf(robot(env).listOrders({}));
    expect(error).toMatchObject({ code: 'ROBOT_NOT_CONFIGURED', policy: 'final' });
    expect(error.message).toMatch(new RegExp(`^${variable} is not set`));
    expect(error.message).not.toContain('secret');
  });
});
