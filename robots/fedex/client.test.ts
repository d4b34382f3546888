import { describe, expect, it } from 'vitest';
import { fakeHttp } from '../../fixtures/testing/fake-http.ts';
import { postTrackingNumbers, requestToken } from './client.ts';

const settings = { apiUrl: 'https://apis.fedex.com', clientId: 'l7xx-client', clientSecret: 's3cret&=+', timeoutMs: 10_000 };

describe('requestToken', () => {
  it('posts the client credentials as a form, and hands back request and answer', async () => {
    const http = fakeHttp();
    const exchange = await requestToken(http, settings);
    expect(http.requests).toEqual([
      {
        method: 'POST',
        url: 'https://apis.fedex.com/oauth/token',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: 'grant_type=client_credentials&client_id=l7xx-client&client_secret=s3cret%26%3D%2B',
        timeoutMs: 10_000,
      },
    ]);
    expect(exchange.response).toEqual({ status: 200, headers: {}, text: '{}' });
  });
});

describe('postTrackingNumbers', () => {
  it.each([
    ['https://apis.fedex.com', 'https://apis.fedex.com/track/v1/trackingnumbers'],
    ['https://apis-sandbox.fedex.com/', 'https://apis-sandbox.fedex.com/track/v1/trackingnumbers'],
    ['http://127.0.0.1:4321/fedex', 'http://127.0.0.1:4321/fedex/track/v1/trackingnumbers'],
    ['http://127.0.0.1:4321/fedex/?x=1', 'http://127.0.0.1:4321/fedex/track/v1/trackingnumbers'],
  ])('joins %s into %s', async (apiUrl, url) => {
    const http = fakeHttp();
    await postTrackingNumbers(http, { ...settings, apiUrl }, 'token', ['791157309435'], 'tx-1');
    expect(http.requests[0]?.url).toBe(url);
  });

  it('sends the bearer token, JSON, the locale, the transaction id and every number with detailed scans', async () => {
    const http = fakeHttp();
    await postTrackingNumbers(http, settings, 'access-token', ['791157309435', '576914547260866'], 'tx-42');
    const [request] = http.requests;
    expect(request).toMatchObject({
      method: 'POST',
      headers: {
        Authorization: 'Bearer access-token',
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-locale': 'en_US',
        'x-customer-transaction-id': 'tx-42',
      },
      timeoutMs: 10_000,
    });
    expect(JSON.parse(request?.body ?? '')).toEqual({
      includeDetailedScans: true,
      trackingInfo: [{ trackingNumberInfo: { trackingNumber: '791157309435' } }, { trackingNumberInfo: { trackingNumber: '576914547260866' } }],
    });
  });
});
