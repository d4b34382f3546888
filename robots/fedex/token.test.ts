import { describe, expect, it } from 'vitest';
import { payloadReader } from '../../fixtures/testing/payloads.ts';
import { errorOf } from '../../fixtures/testing/robot-errors.ts';
import type { ErrorCode } from '../../src/robot-kit/index.ts';
import { readTokenResponse } from './token.ts';

const URL_ = 'https://apis.fedex.com/oauth/token';
const TOKEN = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.parcelbot-fixture-token.c2lnbmF0dXJl';

const body = payloadReader('fedex');

function read(text: string, status = 200, headers: Record<string, string> = {}) {
  return readTokenResponse({ request: { method: 'POST', url: URL_, body: 'grant_type=client_credentials&client_id=id&client_secret=s3cret' }, response: { status, headers, text } }, 0);
}

describe('readTokenResponse', () => {
  it('reads the token and its lifetime in seconds', () => {
    expect(read(body('token-issued.json'))).toEqual({ token: TOKEN, expiresInMs: 3_599_000 });
    expect(read('{"access_token":"t","token_type":"Bearer","expires_in":"3600"}')).toEqual({ token: 't', expiresInMs: 3_600_000 });
    // Whole milliseconds, as the token cache keeps them.
    expect(read('{"access_token":"t","token_type":"Bearer","expires_in":3599.9996}')).toEqual({ token: 't', expiresInMs: 3_600_000 });
  });

  it.each([
    ['{"access_token":"t\\n","token_type":"bearer","expires_in":3599}', 'at access_token: expected an access token of printable ASCII characters'],
    ['{"access_token":"t","token_type":"bearer","expires_in":1e20}', 'at expires_in: '],
  ])('refuses a token no header or cache can take: %s', (text, detail) => {
    const error = errorOf(() => read(text));
    expect(error.code).toBe('CARRIER_BAD_PAYLOAD');
    expect(error.message).toContain(detail);
  });

  it.each<[number, ErrorCode]>([
    [401, 'CARRIER_AUTH_REFUSED'],
    [400, 'CARRIER_AUTH_REFUSED'],
    [403, 'CARRIER_AUTH_REFUSED'],
    [429, 'CARRIER_RATE_LIMITED'],
    [500, 'CARRIER_UNAVAILABLE'],
    [503, 'CARRIER_UNAVAILABLE'],
  ])('reads HTTP %i as %s, keeping no secret', (status, code) => {
    const error = errorOf(() => read(body('token-refused-401.json'), status));
    expect(error.code).toBe(code);
    expect(error.evidence).toEqual({ request: { method: 'POST', url: URL_ }, status, body: body('token-refused-401.json') });
    expect(JSON.stringify({ message: error.message, evidence: error.evidence })).not.toContain('s3cret');
  });

  it('tells which variables to check when FedEx refuses the credentials', () => {
    expect(errorOf(() => read(body('token-refused-401.json'), 401)).message).toBe(
      'FedEx refused the credentials (HTTP 401 NOT.AUTHORIZED.ERROR): check FEDEX_CLIENT_ID and FEDEX_CLIENT_SECRET (the API key and secret key of a developer.fedex.com project that has the Track API)',
    );
  });

  it.each([
    ['token-wrong-shape.json', 200, 'at expires_in: '],
    ['malformed-body.txt', 200, 'the body is not JSON'],
    ['token-issued.json', 302, 'the OAuth API documents no such status'],
  ])('refuses %s (HTTP %i) as a bad payload without the token in its evidence', (file, status, detail) => {
    const error = errorOf(() => read(body(file), status));
    expect(error.code).toBe('CARRIER_BAD_PAYLOAD');
    expect(error.message).toContain(detail);
    expect(JSON.stringify({ message: error.message, evidence: error.evidence, cause: String(error.cause) })).not.toContain('parcelbot-fixture-token');
  });

  it('redacts the token of an unreadable body too', () => {
    const error = errorOf(() => read(`{"access_token": "${TOKEN}", "token_type": "bearer", "expires_in": 3599`));
    expect(error.evidence?.body).toBe('{"access_token": "[redacted]", "token_type": "bearer", "expires_in": 3599');
    expect(error.cause).toBeUndefined();
  });
});
