import { afterAll, describe, expect, it } from 'vitest';
import { numberFor } from '../../fixtures/dhl/testing.ts';
import { useFixtureServer } from '../../fixtures/testing/fixture-server.ts';
import { keyOnlyTokens, testRobotContext } from '../../fixtures/testing/robot-context.ts';
import { rejectionOf } from '../../fixtures/testing/robot-errors.ts';
import { createHttpClient } from '../../src/infra/http-client.ts';
import type { TrackOutcome } from '../../src/robot-kit/index.ts';
import dhl from './index.ts';

/** The robot over real HTTP (undici) against the DHL simulator, both on one frozen clock. */
const START = '2024-07-10T10:00:00Z';
const http = createHttpClient();
const { server, clock } = await useFixtureServer('dhl', START);
afterAll(() => http.close());

function robot(env: Record<string, string> = {}) {
  const context = testRobotContext({ http, clock, tokens: keyOnlyTokens('DHL') });
  return dhl.create(context, dhl.config.parse({ ...server.env, ...env }));
}

async function trackOne(number: string, env: Record<string, string> = {}): Promise<TrackOutcome> {
  const [outcome] = await robot(env).track([number]);
  return outcome!;
}

function failureOf(number: string, env: Record<string, string> = {}): Promise<unknown> {
  return rejectionOf(robot(env).track([number]));
}

describe('every scenario, read in English and in German', () => {
  it.each([
    ['label-created', 'pending', 'retailer_label_created', false],
    ['posted-then-announced', 'picked_up', undefined, false],
    ['in-transit', 'in_transit', undefined, false],
    ['in-transit-late', 'in_transit', undefined, false],
    ['out-for-delivery', 'out_for_delivery', undefined, false],
    ['delivered', 'delivered', undefined, true],
    ['delivered-to-neighbour', 'delivered', undefined, true],
    ['not-home', 'delivery_failed', 'consignee_not_home', false],
    ['awaiting-pickup', 'ready_for_pickup', undefined, false],
    ['refused-returning', 'return_to_sender', 'consignee_refused', false],
    ['returned-to-sender-delivered', 'return_to_sender', 'consignee_not_collected', true],
    ['address-problem', 'delivery_failed', 'consignee_incorrect_address', false],
    ['damaged', 'damaged', 'carrier_damaged_parcel', false],
    ['weather-delay', 'delivery_delayed', 'weather_delay', false],
    ['stale', 'in_transit', undefined, false],
    ['international-to-uk', 'out_for_delivery', undefined, false],
    ['several-matches', 'in_transit', undefined, false],
    ['unknown-code', 'unknown', undefined, false],
    ['handed-to-express', 'out_for_delivery', undefined, false],
    ['express-in-transit', 'in_transit', undefined, false],
    ['express-delivered', 'delivered', undefined, true],
    ['express-held-in-customs', 'on_hold', 'customs_delay', false],
    ['express-duties-unpaid', 'on_hold', 'customs_duties_unpaid', false],
    ['reused-number', 'in_transit', undefined, false],
  ])('%s -> %s (%s), final %s', async (scenario, status, reason, isFinal) => {
    for (const language of ['en', 'de']) {
      const outcome = await trackOne(numberFor(scenario), { DHL_LANGUAGE: language });
      expect(outcome.kind, language).toBe('found');
      const snapshot = outcome.kind === 'found' ? outcome.snapshot : undefined;
      expect(snapshot, language).toMatchObject({ trackingNumber: numberFor(scenario), carrier: 'dhl', status, isFinal });
      expect(snapshot?.reason, language).toBe(reason);
      for (const event of snapshot?.events ?? []) expect(event.at, `${scenario} ${language}`).toMatch(/(Z|[+-]\d\d:\d\d)$/);
    }
  });

  it('reads parcel-de wall time in Berlin and British scans in London', async () => {
    const outcome = await trackOne(numberFor('international-to-uk'), { DHL_LANGUAGE: 'de' });
    const events = outcome.kind === 'found' ? outcome.snapshot.events : [];
    expect(events[0]).toMatchObject({ at: '2024-07-10T08:00:00+01:00', location: 'London', status: 'out_for_delivery' });
    expect(events.at(-1)?.at).toMatch(/\+02:00$/);
    // The same instants the simulator meant: 3 hours and 3 days 6 hours ago.
    expect(Date.parse(events[0]!.at)).toBe(Date.parse(START) - 3 * 3600_000);
    expect(Date.parse(events.at(-1)!.at)).toBe(Date.parse(START) - (3 * 24 + 6) * 3600_000);
  });

  it('gives DHL\'s window and whole days as the estimate, in the destination\'s offset', async () => {
    const window = await trackOne(numberFor('out-for-delivery'));
    expect(window.kind === 'found' && window.snapshot.estimatedDelivery).toEqual({ from: '2024-07-10T13:00:00+02:00', to: '2024-07-10T15:00:00+02:00' });
    const day = await trackOne(numberFor('express-held-in-customs'));
    expect(day.kind === 'found' && day.snapshot.estimatedDelivery).toEqual({ from: '2024-07-12T00:00:00Z', to: '2024-07-12T23:59:59Z' });
  });

  it('records the unknown code for review', async () => {
    const outcome = await trackOne(numberFor('unknown-code'));
    expect(outcome.kind === 'found' && outcome.snapshot.unmappedCodes).toEqual([{ code: 'exception', label: 'The shipment is undergoing special handling.' }]);
  });

  it('calls once per number and asks in the configured language', async () => {
    await robot({ DHL_LANGUAGE: 'de' }).track([numberFor('delivered'), numberFor('stale')]);
    expect(server.dhl.stats()).toMatchObject({ totalCalls: 2, numbersRequested: [numberFor('delivered'), numberFor('stale')], languagesRequested: ['de', 'de'] });
  });
});

describe('what goes wrong', () => {
  it('reads an unknown number as not found', async () => {
    expect(await trackOne('3318810025')).toEqual({
      trackingNumber: '3318810025',
      kind: 'not_found',
      message: 'DHL does not know this number: "No shipment with given tracking number found."',
    });
  });

  it.each([
    ['a wrong key', {}, { DHL_API_KEY: 'wrong' }, 'CARRIER_AUTH_REFUSED'],
    ['a 429 burst', { fault: 'rate-limited', retryAfterSeconds: 7 }, {}, 'CARRIER_RATE_LIMITED'],
    ['a 500', { fault: 'http-500' }, {}, 'CARRIER_UNAVAILABLE'],
    ['a 503', { fault: 'http-503' }, {}, 'CARRIER_UNAVAILABLE'],
    ['invalid JSON', { fault: 'invalid-json' }, {}, 'CARRIER_BAD_PAYLOAD'],
    ['the wrong shape', { fault: 'wrong-shape' }, {}, 'CARRIER_BAD_PAYLOAD'],
    ['no answer', { fault: 'timeout' }, { DHL_TIMEOUT_MS: '300' }, 'CARRIER_TIMEOUT'],
  ] as const)('turns %s into %s', async (_, faults, env, code) => {
    server.dhl.setFaults(faults);
    const error = await failureOf(numberFor('delivered'), env);
    expect(error).toMatchObject({ code });
    if (code === 'CARRIER_RATE_LIMITED') expect(error).toMatchObject({ retryAfterMs: 7000 });
    expect(JSON.stringify(error)).not.toContain(server.env.DHL_API_KEY);
  });

  it('reads a 404 from outside the tracking API as a wrong DHL_API_URL, not as an unknown number', async () => {
    const error = await failureOf('3318810025', { DHL_API_URL: `${server.env.DHL_API_URL}/api` });
    expect(error).toMatchObject({ code: 'CARRIER_BAD_PAYLOAD', evidence: { status: 404 }, message: expect.stringContaining('check DHL_API_URL, the base URL such as https://api-eu.dhl.com') });
  });

  it('takes DHL_API_URL in the OpenAPI server form, ending in /track', async () => {
    const env = { DHL_API_URL: `${server.env.DHL_API_URL}/track` };
    expect((await trackOne(numberFor('delivered'), env)).kind).toBe('found');
    expect((await trackOne('3318810025', env)).kind).toBe('not_found');
  });
});

// DHL's 429 has no documented Retry-After, and the same body for both quotas (carrier-apis.md 3.6).
describe('the two quotas, told apart by a 429 again after the wait', () => {
  /** One robot for every call: it remembers the 429s it met. */
  function trackerOf(env: Record<string, string> = {}) {
    const dhlRobot = robot(env);
    return { found: async () => (await dhlRobot.track([numberFor('delivered')]))[0]?.kind, refusal: () => rejectionOf(dhlRobot.track([numberFor('delivered')])) };
  }

  it('waits a second on a first 429, then until 00:00 GMT once the daily quota proves spent', async () => {
    server.dhl.configure({ quota: { perSecond: false, perDay: 1 } });
    const tracker = trackerOf();
    expect(await tracker.found()).toBe('found');
    expect(await tracker.refusal()).toMatchObject({ code: 'CARRIER_RATE_LIMITED', retryAfterMs: 1000 });
    clock.advance(1000);
    // 10:00:01 UTC: 14 hours less a second to 00:00 GMT.
    expect(await tracker.refusal()).toMatchObject({ code: 'CARRIER_RATE_LIMITED', retryAfterMs: 14 * 3600_000 - 1000, message: expect.stringContaining('daily quota') });
    expect(server.dhl.stats().byStatus).toEqual({ 200: 1, 429: 2 });
  });

  it('waits only a second at a time for the per-second limit', async () => {
    server.dhl.configure({ quota: { perSecond: 1, perDay: false } });
    const tracker = trackerOf();
    for (let second = 0; second < 3; second++) {
      expect(await tracker.found()).toBe('found');
      // Two 429s in the same second: one burst.
      expect(await tracker.refusal()).toMatchObject({ code: 'CARRIER_RATE_LIMITED', retryAfterMs: 1000 });
      expect(await tracker.refusal()).toMatchObject({ code: 'CARRIER_RATE_LIMITED', retryAfterMs: 1000 });
      clock.advance(1000);
    }
  });

  it('honours a Retry-After when DHL sends one', async () => {
    server.dhl.configure({ quota: { perSecond: false, perDay: 1, retryAfter: true } });
    const tracker = trackerOf();
    expect(await tracker.found()).toBe('found');
    expect(await tracker.refusal()).toMatchObject({ code: 'CARRIER_RATE_LIMITED', retryAfterMs: 14 * 3600_000 });
  });
});
