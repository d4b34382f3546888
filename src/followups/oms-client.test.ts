import { afterAll, describe, expect, it } from 'vitest';
import { reshipmentRequest } from '../../fixtures/oms/testing.ts';
import { useFixtureServer } from '../../fixtures/testing/fixture-server.ts';
import { rejectionOf } from '../../fixtures/testing/robot-errors.ts';
import { fixedClock } from '../infra/clock.ts';
import { createHttpClient } from '../infra/http-client.ts';
import { OmsClient, type OmsSettings } from './oms-client.ts';

// The OMS client against the OMS simulator: the contract's answers, and every fault classified.

const START = '2026-03-10T09:00:00Z';
const { server, base, clock } = await useFixtureServer('oms', START);
const http = createHttpClient();
afterAll(() => http.close());
const oms = (settings: Partial<OmsSettings> = {}) => new OmsClient({ url: base, apiKey: server.env.OMS_API_KEY, timeoutMs: 5000, ...settings }, http, fixedClock(START));

describe('OmsClient', () => {
  it('makes a reshipment, finds it by its key, and reads it again once shipped', async () => {
    const client = oms();
    expect(await client.createReshipment(reshipmentRequest('k-1'))).toEqual({ orderRef: 'RS-100001', status: 'created' });
    expect(await client.findReshipment('k-1')).toEqual({ orderRef: 'RS-100001', status: 'created' });
    expect(await client.findReshipment('k-2')).toBeUndefined();
    clock.advance(24 * 3_600_000);
    expect(await client.reshipment('RS-100001')).toMatchObject({ status: 'shipped', carrier: 'laposte', trackingNumber: expect.any(String) });
    expect(await client.reshipment('RS-404')).toBeUndefined();
  });

  it('refunds once per key and finds the refund by its key', async () => {
    const client = oms();
    const order = { orderRef: 'WEB-1', amount: 29.9, currency: 'EUR', reason: 'Parcel lost', idempotencyKey: 'r-1' };
    const made = await client.createRefund(order);
    expect(made).toEqual({ refundRef: 'RF-OMS-5001', orderRef: 'WEB-1', amount: 29.9, currency: 'EUR', status: 'refunded' });
    expect(await client.createRefund(order)).toEqual(made);
    expect(await client.findRefund('r-1')).toEqual(made);
    expect(server.oms.stats().refundsCreated).toBe(1);
  });

  it.each([
    ['http-500', 'CARRIER_UNAVAILABLE', 'transient', /^the OMS is unavailable \(HTTP 500\)$/],
    ['http-503', 'CARRIER_UNAVAILABLE', 'transient', /HTTP 503/],
    ['rate-limited', 'CARRIER_RATE_LIMITED', 'rate_limited', /HTTP 429\), retry in 2 s$/],
    ['refused', 'CARRIER_BAD_REQUEST', 'final', /^the OMS refused POST \/oms\/reshipments \(HTTP 422\): the order cannot be changed: it is closed$/],
    ['invalid-json', 'CARRIER_BAD_PAYLOAD', 'final', /a body that is not JSON$/],
    ['wrong-shape', 'CARRIER_BAD_PAYLOAD', 'final', /in an unexpected format \(orderRef: /],
  ] as const)('%s is %s (%s), with the answer as evidence', async (fault, code, policy, message) => {
    server.oms.setFaults({ fault, retryAfterSeconds: 2 });
    const error = await rejectionOf(oms().createReshipment(reshipmentRequest('k')));
    expect(error).toMatchObject({ code, policy, evidence: { request: { method: 'POST', url: `${base}/reshipments` }, status: expect.any(Number), body: expect.any(String) } });
    expect(error.message).toMatch(message);
    if (fault === 'rate-limited') expect(error.retryAfterMs).toBe(2000);
  });

  it('is CARRIER_TIMEOUT past OMS_TIMEOUT_MS', async () => {
    server.oms.setFaults({ fault: 'timeout' });
    expect(await rejectionOf(oms({ timeoutMs: 300 }).findRefund('k'))).toMatchObject({ code: 'CARRIER_TIMEOUT', policy: 'transient' });
  });

  it('is CARRIER_AUTH_REFUSED, final, for a wrong key, which it never shows', async () => {
    const error = await rejectionOf(oms({ apiKey: 'not-the-oms-key' }).findRefund('k'));
    expect(error).toMatchObject({ code: 'CARRIER_AUTH_REFUSED', policy: 'final' });
    expect(JSON.stringify({ message: error.message, evidence: error.evidence })).not.toContain('not-the-oms-key');
  });

  it('is ROBOT_NOT_CONFIGURED without OMS_URL, and CARRIER_NETWORK_ERROR when nothing listens there', async () => {
    expect(await rejectionOf(oms({ url: undefined }).findRefund('k'))).toMatchObject({ code: 'ROBOT_NOT_CONFIGURED', message: expect.stringMatching(/^OMS_URL is not set/) });
    expect(await rejectionOf(oms({ url: 'http://127.0.0.1:9' }).findRefund('k'))).toMatchObject({ code: 'CARRIER_NETWORK_ERROR', policy: 'transient' });
  });
});
