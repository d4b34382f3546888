import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarios } from '../../fixtures/fedex/scenario.ts';
import { callTrack, demoToken, numberFor, reusedNumber } from '../../fixtures/fedex/testing.ts';
import { useFixtureServer } from '../../fixtures/testing/fixture-server.ts';
import { testRobotContext } from '../../fixtures/testing/robot-context.ts';
import { rejectionOf as failure } from '../../fixtures/testing/robot-errors.ts';
import { createHttpClient } from '../../src/infra/http-client.ts';
import { REFUSED_CREDENTIALS_PAUSE_MS } from '../../src/robot-kit/index.ts';
import { createRedisTokenCache } from '../../src/infra/redis-token-cache.ts';
import fedex from './index.ts';

// 10:00 UTC: 14 hours before midnight GMT.
const START = '2024-07-10T10:00:00Z';
const redis = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
const http = createHttpClient();
const prefixes: string[] = [];
let prefix: string;
const { server, clock } = await useFixtureServer('fedex', START);

afterAll(async () => {
  const keys = (await Promise.all(prefixes.map((each) => redis.keys(`${each}:*`)))).flat();
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await http.close();
});

/** A robot as a worker builds it, on the real HTTP client and Redis token cache; each test gets its own cache. */
function newPrefix(): void {
  prefix = `test-fedex-${randomBytes(5).toString('hex')}`;
  prefixes.push(prefix);
}

function worker(env: Record<string, string> = {}) {
  const fedexEnv = Object.fromEntries(Object.entries(server.env).filter(([name]) => name.startsWith('FEDEX_')));
  const context = testRobotContext({ http, clock, tokens: createRedisTokenCache(redis, prefix) });
  return fedex.create(context, fedex.config.parse({ ...fedexEnv, ...env }));
}

describe('the robot against the FedEx simulator', () => {
  it('reads every scenario into the status and reason it tells, in one call', async () => {
    newPrefix();
    const expected: Record<string, [string, string | undefined]> = {
      'label-created': ['pending', 'retailer_label_created'],
      'progresses-to-delivery': ['in_transit', undefined],
      'picked-up': ['picked_up', undefined],
      'in-transit': ['in_transit', undefined],
      'ground-in-transit': ['in_transit', undefined],
      'running-late': ['delivery_delayed', undefined],
      'weather-delay': ['delivery_delayed', 'weather_delay'],
      'out-for-delivery': ['out_for_delivery', undefined],
      'delivery-exception': ['delivery_failed', 'consignee_not_home'],
      'ready-for-pickup': ['ready_for_pickup', undefined],
      'clearance-delay': ['on_hold', 'customs_documentation'],
      returned: ['return_to_sender', 'consignee_refused'],
      delivered: ['delivered', undefined],
      'delivered-late': ['delivered', undefined],
      cancelled: ['cancelled', undefined],
      'unknown-code': ['in_transit', undefined],
    };
    expect(Object.keys(expected).sort()).toEqual([...loadScenarios().keys()].sort());
    const names = Object.keys(expected);
    const outcomes = await worker().track(names.map(numberFor));
    expect(server.fedex.stats().numbersPerCall).toEqual([names.length]);
    for (const [i, name] of names.entries()) {
      const outcome = outcomes[i];
      if (outcome?.kind !== 'found') throw new Error(`${name}: ${outcome?.kind}`);
      expect([outcome.snapshot.status, outcome.snapshot.reason], name).toEqual(expected[name]);
      expect(outcome.snapshot.isFinal, name).toBe(['delivered', 'cancelled'].includes(outcome.snapshot.status));
      for (const event of outcome.snapshot.events) expect(event.at, name).toMatch(/[+-]\d\d:\d\d$/);
    }
    const unknown = outcomes[names.indexOf('unknown-code')];
    expect(unknown?.kind === 'found' && unknown.snapshot.unmappedCodes).toEqual([{ code: 'ZX', label: 'Package held for special handling review' }]);
  });

  it('reads dates with the offset of each scan, the estimate window and the delivery time', async () => {
    newPrefix();
    const [moving, delivered] = await worker().track([numberFor('in-transit'), numberFor('delivered')]);
    expect(moving?.kind === 'found' && moving.snapshot).toMatchObject({
      estimatedDelivery: { from: '2024-07-11T10:00:00-04:00', to: '2024-07-11T14:00:00-04:00' },
      product: 'FedEx International Priority',
    });
    const offsets = moving?.kind === 'found' ? new Set(moving.snapshot.events.map((event) => event.at.slice(-6))) : undefined;
    expect(offsets).toEqual(new Set(['-04:00', '-05:00', '+02:00']));
    expect(delivered?.kind === 'found' && delivered.snapshot).toMatchObject({ status: 'delivered', deliveredAt: '2024-07-09T05:00:00-04:00', isFinal: true });
  });

  it('answers a mixed batch in request order: found, not found, invalid, a duplicate, a reused number', async () => {
    newPrefix();
    const numbers = [numberFor('delivered'), '123456789012', '1Z999AA10123456784', numberFor('delivered'), reusedNumber()];
    const outcomes = await worker().track(numbers);
    expect(outcomes.map((outcome) => [outcome.trackingNumber, outcome.kind])).toEqual([
      [numberFor('delivered'), 'found'],
      ['123456789012', 'not_found'],
      ['1Z999AA10123456784', 'rejected'],
      [numberFor('delivered'), 'found'],
      [reusedNumber(), 'found'],
    ]);
    expect(outcomes[2]?.kind === 'rejected' && outcomes[2].error.code).toBe('TRACKING_NUMBER_INVALID');
    // The reused number's latest shipment is in transit; its older one was delivered 400 days ago.
    expect(outcomes[4]?.kind === 'found' && outcomes[4].snapshot.status).toBe('in_transit');
    expect(server.fedex.stats().numbersPerCall).toEqual([4]);
  });

  it('sends 30 numbers in one call, never 31: FedEx refuses 31', async () => {
    newPrefix();
    const numbers = Array.from({ length: 31 }, (_, i) => String(700_000_000_000 + i));
    const refused = await callTrack(`${server.url}/fedex`, numbers, { token: await demoToken(`${server.url}/fedex`) });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].code).toBe('TRACKING.TRACKINGNUMBERS.LIMITEXCEEDED');
    server.fedex.resetStats();

    const robot = worker();
    expect((await robot.track(numbers.slice(0, 30))).every((outcome) => outcome.kind === 'not_found')).toBe(true);
    expect(server.fedex.stats().numbersPerCall).toEqual([30]);
    expect(await robot.track(numbers)).toHaveLength(31);
    expect(server.fedex.stats().numbersPerCall).toEqual([30, 30, 1]);
    expect(server.fedex.stats().byStatus).toEqual({ 200: 3 });
  });

  it('shares one token between workers', async () => {
    newPrefix();
    await Promise.all([worker().track([numberFor('delivered')]), worker().track([numberFor('in-transit')]), worker().track([numberFor('returned')])]);
    await worker().track([numberFor('cancelled')]);
    expect(server.fedex.stats()).toMatchObject({ tokenRequests: 1, totalCalls: 4 });
  });

  it('refreshes an expired token exactly once and succeeds', async () => {
    newPrefix();
    const robot = worker();
    await robot.track([numberFor('delivered')]);
    server.fedex.expireTokens();
    const [outcome] = await robot.track([numberFor('delivered')]);
    expect(outcome?.kind).toBe('found');
    expect(server.fedex.stats()).toMatchObject({ tokenRequests: 2, tokensIssued: 2, byStatus: { 200: 2, 401: 1 } });
  });

  it('gives up after one refresh when FedEx keeps refusing the token', async () => {
    newPrefix();
    server.fedex.setFaults({ fault: 'token-expired', times: 2 });
    const error = await failure(worker().track([numberFor('delivered')]));
    expect(error).toMatchObject({ code: 'CARRIER_AUTH_REFUSED', policy: 'final' });
    expect(server.fedex.stats()).toMatchObject({ tokenRequests: 2, totalCalls: 2 });
  });

  it('refuses a wrong secret after one token request, without tracking and without the secret in the error', async () => {
    newPrefix();
    const error = await failure(worker({ FEDEX_CLIENT_SECRET: 'not-the-secret' }).track([numberFor('delivered')]));
    expect(error).toMatchObject({ code: 'CARRIER_AUTH_REFUSED', evidence: { request: { method: 'POST', url: `${server.url}/fedex/oauth/token` }, status: 401 } });
    expect(JSON.stringify({ message: error.message, evidence: error.evidence })).not.toContain('not-the-secret');
    expect(server.fedex.stats()).toMatchObject({ tokenRequests: 1, tokensIssued: 0, totalCalls: 0 });
  });

  it("does not offer refused credentials again for a while, however many look-ups follow, as UPS's robot", async () => {
    newPrefix();
    const robot = worker({ FEDEX_CLIENT_SECRET: 'not-the-secret' });
    for (let i = 0; i < 4; i++) {
      const error = await failure(robot.track([numberFor('delivered')]));
      expect(error).toMatchObject({ code: 'CARRIER_AUTH_REFUSED', evidence: { status: 401 } });
      expect(error.message).toContain('(not offered again for 5 minutes)');
    }
    expect(server.fedex.stats()).toMatchObject({ tokenRequests: 1, totalCalls: 0 });
    clock.advance(REFUSED_CREDENTIALS_PAUSE_MS);
    await failure(robot.track([numberFor('delivered')]));
    expect(server.fedex.stats().tokenRequests).toBe(2);
  });

  it.each([
    [{ fault: 'http-403' }, 'CARRIER_AUTH_REFUSED', undefined],
    [{ fault: 'http-500' }, 'CARRIER_UNAVAILABLE', undefined],
    [{ fault: 'http-503' }, 'CARRIER_UNAVAILABLE', undefined],
    [{ fault: 'rate-limited', retryAfterSeconds: 7 }, 'CARRIER_RATE_LIMITED', 7000],
    [{ fault: 'daily-quota' }, 'CARRIER_RATE_LIMITED', 14 * 3600_000],
    [{ fault: 'invalid-json' }, 'CARRIER_BAD_PAYLOAD', undefined],
  ] as const)('turns the fault %j into %s', async (faults, code, retryAfterMs) => {
    newPrefix();
    server.fedex.setFaults({ ...faults, times: 1 });
    const error = await failure(worker().track([numberFor('delivered')]));
    expect(error.code).toBe(code);
    expect(error.retryAfterMs).toBe(retryAfterMs);
    expect(server.fedex.stats()).toMatchObject({ tokenRequests: 1, totalCalls: 1 });
  });

  it('fails each number whose results have the wrong shape as its own outcome, the call-wide fault failing every one', async () => {
    newPrefix();
    server.fedex.setFaults({ fault: 'wrong-shape', times: 1 });
    const outcomes = await worker().track([numberFor('delivered'), numberFor('in-transit')]);
    expect(outcomes.map((outcome) => outcome.kind === 'failed' && outcome.error.code)).toEqual(['CARRIER_BAD_PAYLOAD', 'CARRIER_BAD_PAYLOAD']);
    expect(server.fedex.stats()).toMatchObject({ tokenRequests: 1, totalCalls: 1 });
  });

  it('times out on a held request', async () => {
    newPrefix();
    server.fedex.setFaults({ fault: 'timeout', times: 1 });
    const error = await failure(worker({ FEDEX_TIMEOUT_MS: '300' }).track([numberFor('delivered')]));
    expect(error.code).toBe('CARRIER_TIMEOUT');
  });
});
