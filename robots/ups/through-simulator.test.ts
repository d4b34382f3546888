import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { loadParcelEntries } from '../../fixtures/ups/catalog.ts';
import { numberFor } from '../../fixtures/ups/testing.ts';
import { useFixtureServer } from '../../fixtures/testing/fixture-server.ts';
import { testRobotContext } from '../../fixtures/testing/robot-context.ts';
import { rejectionOf as failure } from '../../fixtures/testing/robot-errors.ts';
import { createHttpClient } from '../../src/infra/http-client.ts';
import { createRedisTokenCache } from '../../src/infra/redis-token-cache.ts';
import type { TrackOutcome } from '../../src/robot-kit/index.ts';
import ups from './index.ts';

// The robot through the real HTTP client and the real Redis token cache, against the simulator.
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const redis = new Redis(REDIS_URL);
const http = createHttpClient();
const prefixes: string[] = [];
const { server, clock } = await useFixtureServer('ups', '2024-07-10T10:00:00Z');

afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await redis.quit();
  await http.close();
});

/** A robot with its own token cache prefix, so each test starts without a cached token. */
function robot(env: Record<string, string> = {}) {
  const prefix = `test-ups-${randomBytes(4).toString('hex')}`;
  prefixes.push(prefix);
  const context = testRobotContext({ http, tokens: createRedisTokenCache(redis, prefix), clock });
  return ups.create(context, ups.config.parse({ ...server.env, ...env }));
}

async function trackOne(tracker: ReturnType<typeof robot>, number: string): Promise<TrackOutcome> {
  const [outcome] = await tracker.track([number]);
  return outcome!;
}

describe('tracking through the simulator', () => {
  const EXPECTED: Record<string, [string, string?]> = {
    'label-created': ['pending', 'retailer_label_created'],
    'progresses-to-delivery': ['in_transit'],
    'picked-up': ['picked_up'],
    'dropped-at-access-point': ['picked_up'],
    'in-transit': ['in_transit'],
    'in-transit-late': ['in_transit'],
    stale: ['in_transit'],
    'express-commit-time': ['in_transit'],
    'international-in-transit': ['in_transit'],
    'out-for-delivery': ['out_for_delivery'],
    delivered: ['delivered'],
    'delivered-with-photo': ['delivered'],
    'delivered-late': ['delivered'],
    'access-point-ready': ['ready_for_pickup'],
    'access-point-collected': ['delivered'],
    'receiver-absent': ['delivery_failed', 'consignee_not_home'],
    'final-attempt-failed': ['delivery_failed', 'consignee_not_home'],
    'weather-delay': ['delivery_delayed', 'weather_delay'],
    'mechanical-delay': ['delivery_delayed', 'carrier_incident'],
    'customs-hold': ['on_hold', 'customs_documentation'],
    'incorrect-address': ['on_hold', 'consignee_incorrect_address'],
    refused: ['return_to_sender'],
    'returned-to-sender': ['return_to_sender', 'carrier_returned_to_sender'],
    damaged: ['damaged', 'carrier_damaged_parcel'],
    lost: ['lost', 'carrier_parcel_lost'],
    voided: ['cancelled'],
    'unknown-code': ['unknown'],
    // Past the 120-day retention.
    'rolled-off': ['not_found'],
  };

  it('reads every scenario with the status it tells, on one shared token', async () => {
    const tracker = robot();
    const scenarios = server.ups.scenarioNames();
    expect(Object.keys(EXPECTED).sort()).toEqual([...scenarios].sort());
    for (const scenario of scenarios) {
      const outcome = await trackOne(tracker, numberFor(scenario));
      const [status, reason] = EXPECTED[scenario]!;
      if (status === 'not_found') {
        expect([scenario, outcome.kind]).toEqual([scenario, 'not_found']);
        continue;
      }
      if (outcome.kind !== 'found') throw new Error(`${scenario}: ${outcome.kind}`);
      expect([scenario, outcome.snapshot.status, outcome.snapshot.reason]).toEqual([scenario, status, reason]);
      for (const event of outcome.snapshot.events) expect(event.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    }
    expect(server.ups.stats()).toMatchObject({ tokenRequests: 1, totalCalls: scenarios.length, callsByTransactionSrc: { parcelbot: scenarios.length } });
    expect(new Set(server.ups.stats().transIds).size).toBe(scenarios.length);
  });

  it('knows every number of the catalog, demo parcels included', async () => {
    const tracker = robot();
    for (const { trackingNumber, scenario } of loadParcelEntries()) {
      expect((await trackOne(tracker, trackingNumber)).kind, trackingNumber).toBe(scenario === 'rolled-off' ? 'not_found' : 'found');
    }
  });

  it('names itself with UPS_TRANSACTION_SRC', async () => {
    await trackOne(robot({ UPS_TRANSACTION_SRC: 'shop-42' }), numberFor('delivered'));
    expect(server.ups.stats().callsByTransactionSrc).toEqual({ 'shop-42': 1 });
  });

  it('reads an unknown number as not found, whether UPS answers 200 + TW0001 or 404', async () => {
    const unknown = '1ZA4V7296899000013';
    expect(await trackOne(robot(), unknown)).toMatchObject({ kind: 'not_found', message: expect.stringContaining('TW0001') });
    server.ups.configure({ notFoundAs: 'http-404' });
    expect(await trackOne(robot(), unknown)).toMatchObject({ kind: 'not_found', message: expect.stringContaining('TW0001') });
    expect(server.ups.stats().byStatus).toEqual({ 200: 1, 404: 1 });
  });

  it('reads a 1Z number with a wrong check digit as rejected (TV1002)', async () => {
    const outcome = await trackOne(robot(), '1ZA4V7296899000014');
    expect(outcome.kind).toBe('rejected');
    expect(outcome.kind === 'rejected' && outcome.error.code).toBe('TRACKING_NUMBER_INVALID');
  });
});

describe('the token', () => {
  it('is fetched once for many concurrent look-ups of one process', async () => {
    server.ups.configure({ tokenLatencyMs: 200 });
    const tracker = robot();
    const numbers = ['in-transit', 'delivered', 'lost', 'voided', 'damaged'].map(numberFor);
    const outcomes = await Promise.all(numbers.map((number) => trackOne(tracker, number)));
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(numbers.map(() => 'found'));
    expect(server.ups.stats().tokenRequests).toBe(1);
  });

  it('is refreshed exactly once after UPS expires it, and the look-up succeeds', async () => {
    const tracker = robot();
    expect((await trackOne(tracker, numberFor('delivered'))).kind).toBe('found');
    expect(server.ups.expireTokens()).toBe(1);
    expect((await trackOne(tracker, numberFor('in-transit'))).kind).toBe('found');
    expect((await trackOne(tracker, numberFor('lost'))).kind).toBe('found');
    expect(server.ups.stats()).toMatchObject({ tokenRequests: 2, refusedTokens: 1, totalCalls: 4, byStatus: { 200: 3, 401: 1 } });
  });

  it('lives as long as UPS says: a short-lived token is fetched again once gone from the cache', async () => {
    server.ups.configure({ tokenLifetimeSeconds: 1 });
    const tracker = robot();
    await trackOne(tracker, numberFor('delivered'));
    // The cache keeps a token at least one second (its margin exceeds this lifetime).
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await trackOne(tracker, numberFor('delivered'));
    expect(server.ups.stats()).toMatchObject({ tokenRequests: 2, refusedTokens: 0 });
  });

  it('refused for a wrong client secret is CARRIER_AUTH_REFUSED after exactly one token request', async () => {
    const error = await failure(robot({ UPS_CLIENT_SECRET: 'not-the-secret' }).track([numberFor('delivered')]));
    expect(error).toMatchObject({ code: 'CARRIER_AUTH_REFUSED', message: expect.stringContaining('UPS_CLIENT_SECRET') });
    expect(error.message).not.toContain('not-the-secret');
    expect(server.ups.stats()).toMatchObject({ tokenRequests: 1, tokenRequestsByStatus: { 401: 1 }, totalCalls: 0 });
  });

  it('refused, is asked for once even when many look-ups wait for it', async () => {
    server.ups.configure({ tokenLatencyMs: 200 });
    const tracker = robot({ UPS_CLIENT_SECRET: 'not-the-secret' });
    const numbers = ['in-transit', 'delivered', 'lost', 'voided', 'damaged'].map(numberFor);
    const errors = await Promise.all(numbers.map((number) => failure(tracker.track([number]))));
    expect(errors.map((error) => error.code)).toEqual(numbers.map(() => 'CARRIER_AUTH_REFUSED'));
    expect(server.ups.stats()).toMatchObject({ tokenRequests: 1, totalCalls: 0 });
  });
});

describe('faults', () => {
  it.each([
    ['http-500', 'CARRIER_UNAVAILABLE'],
    ['http-503', 'CARRIER_UNAVAILABLE'],
    ['blocked-merchant', 'CARRIER_AUTH_REFUSED'],
    ['invalid-json', 'CARRIER_BAD_PAYLOAD'],
    ['wrong-shape', 'CARRIER_BAD_PAYLOAD'],
  ] as const)('%s -> %s', async (fault, code) => {
    server.ups.setFaults({ fault, times: 1 });
    const tracker = robot();
    expect(await failure(tracker.track([numberFor('delivered')]))).toMatchObject({ code });
    expect((await trackOne(tracker, numberFor('delivered'))).kind).toBe('found');
  });

  it('quotes UPS\'s reason for a Blocked Merchant and names UPS_CLIENT_ID: UPS has no API key to check', async () => {
    server.ups.setFaults({ fault: 'blocked-merchant', times: 1 });
    const error = await failure(robot().track([numberFor('delivered')]));
    expect(error).toMatchObject({ code: 'CARRIER_AUTH_REFUSED', evidence: { status: 403 } });
    expect(error.message).toBe(
      'UPS refused the credentials (HTTP 403 TB0403 "Blocked Merchant"): UPS blocks the account of the app UPS_CLIENT_ID: ' +
        'ask UPS support to unblock it, or set UPS_CLIENT_ID and UPS_CLIENT_SECRET to an app of an account in good standing',
    );
  });

  it('reads a spoiled not-found answer as a bad payload, never as "not found"', async () => {
    server.ups.setFaults({ fault: 'wrong-shape' });
    expect(await failure(robot().track(['1ZA4V7296899000013']))).toMatchObject({ code: 'CARRIER_BAD_PAYLOAD' });
  });

  it('passes the Retry-After of a 429 on', async () => {
    server.ups.setFaults({ fault: 'rate-limited', retryAfterSeconds: 7 });
    expect(await failure(robot().track([numberFor('delivered')]))).toMatchObject({ code: 'CARRIER_RATE_LIMITED', retryAfterMs: 7000 });
  });

  it('gives up on a held answer after UPS_TIMEOUT_MS', async () => {
    server.ups.setFaults({ fault: 'timeout', holdMs: 5000 });
    expect(await failure(robot({ UPS_TIMEOUT_MS: '300' }).track([numberFor('delivered')]))).toMatchObject({ code: 'CARRIER_TIMEOUT' });
  });
});
