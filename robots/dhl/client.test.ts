import { describe, expect, it } from 'vitest';
import { fakeHttp } from '../../fixtures/testing/fake-http.ts';
import { RobotError } from '../../src/robot-kit/index.ts';
import { fetchShipments } from './client.ts';
import { DailyQuotaWatch } from './daily-quota.ts';

const NOW_MS = Date.parse('2024-03-13T10:00:00Z');

const settings = { apiUrl: 'https://api-eu.dhl.com', apiKey: 'dhl-secret-key-0123456789abcdef', language: 'en', timeoutMs: 10_000 };

describe('fetchShipments', () => {
  it.each([
    ['https://api-eu.dhl.com', 'https://api-eu.dhl.com/track/shipments?trackingNumber=00340434292135100186&language=de'],
    ['https://api-eu.dhl.com/', 'https://api-eu.dhl.com/track/shipments?trackingNumber=00340434292135100186&language=de'],
    ['http://127.0.0.1:4321/dhl', 'http://127.0.0.1:4321/dhl/track/shipments?trackingNumber=00340434292135100186&language=de'],
    ['http://127.0.0.1:4321/dhl/', 'http://127.0.0.1:4321/dhl/track/shipments?trackingNumber=00340434292135100186&language=de'],
    // The OpenAPI's server URL: its /track is not doubled.
    ['https://api-eu.dhl.com/track', 'https://api-eu.dhl.com/track/shipments?trackingNumber=00340434292135100186&language=de'],
    ['https://api-test.dhl.com/track/', 'https://api-test.dhl.com/track/shipments?trackingNumber=00340434292135100186&language=de'],
  ])('joins %s into %s', async (apiUrl, url) => {
    const http = fakeHttp({ status: 200, headers: {}, text: '{}' });
    await fetchShipments(http, { ...settings, apiUrl, language: 'de' }, '00340434292135100186', NOW_MS, new DailyQuotaWatch());
    expect(http.requests[0]?.url).toBe(url);
  });

  it('sends the key in DHL-API-Key, asks for JSON, passes the timeout and hands back status and text', async () => {
    const http = fakeHttp({ status: 404, headers: {}, text: '{"status":404}' });
    const answer = await fetchShipments(http, settings, '3318810025', NOW_MS, new DailyQuotaWatch());
    expect(http.requests[0]).toEqual({
      method: 'GET',
      url: 'https://api-eu.dhl.com/track/shipments?trackingNumber=3318810025&language=en',
      headers: { 'DHL-API-Key': settings.apiKey, Accept: 'application/json' },
      timeoutMs: 10_000,
    });
    expect(answer).toEqual({ status: 404, text: '{"status":404}' });
  });

  it.each([
    [401, {}, 'CARRIER_AUTH_REFUSED', undefined],
    [429, { 'retry-after': '30' }, 'CARRIER_RATE_LIMITED', 30_000],
    [429, {}, 'CARRIER_RATE_LIMITED', 1000],
    [500, {}, 'CARRIER_UNAVAILABLE', undefined],
  ] as const)('throws the shared error of HTTP %i itself, without the key or the query in the evidence', async (status, headers, code, retryAfterMs) => {
    const http = fakeHttp({ status, headers, text: '{"status":0}' });
    const error = await fetchShipments(http, settings, '3318810025', NOW_MS, new DailyQuotaWatch()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RobotError);
    expect(error).toMatchObject({ code, retryAfterMs, evidence: { request: { method: 'GET', url: 'https://api-eu.dhl.com/track/shipments' }, status } });
    expect(JSON.stringify(error)).not.toContain(settings.apiKey);
    expect((error as RobotError).message).not.toContain(settings.apiKey);
  });
});
