import { type HttpClient, type HttpRequest, type IssuedToken, RobotError, httpEvidence, joinUrl, readJsonPayload, throwForCommonStatus, withoutTokens } from '../../src/robot-kit/index.ts';
import { lwaTokenResponse } from './payload.ts';

export interface LwaCredentials {
  /** `https://api.amazon.com`, or a simulator's. */
  lwaUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  timeoutMs: number;
}

/**
 * Login with Amazon (carrier-apis.md 9.1): `POST {lwaUrl}/auth/o2/token`, `grant_type=refresh_token`
 * with the app's client id and secret and the seller's refresh token, form-encoded, for an access
 * token that lives an hour. I/O only. Refused credentials (400 invalid_grant, 401 invalid_client)
 * are CARRIER_AUTH_REFUSED: asking again would be refused again.
 */
export async function fetchLwaToken(http: HttpClient, credentials: LwaCredentials, nowMs: number): Promise<IssuedToken> {
  const request: HttpRequest = {
    method: 'POST',
    url: joinUrl(credentials.lwaUrl, '/auth/o2/token'),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8', Accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.refreshToken, client_id: credentials.clientId, client_secret: credentials.clientSecret }).toString(),
    timeoutMs: credentials.timeoutMs,
  };
  const response = await http.request(request);
  const cleaned = { ...response, text: withoutTokens(response.text) };
  const evidence = { ...httpEvidence(request, cleaned), step: 'lwa token' };
  if (response.status === 400 || response.status === 401 || response.status === 403) {
    throw new RobotError('CARRIER_AUTH_REFUSED', `Login with Amazon refused the credentials (HTTP ${response.status}): check AMAZON_CLIENT_ID, AMAZON_CLIENT_SECRET and AMAZON_REFRESH_TOKEN`, { evidence });
  }
  throwForCommonStatus('Login with Amazon', request, cleaned, nowMs);
  const read = response.status === 200 ? readJsonPayload(response.text, lwaTokenResponse) : { problem: `HTTP ${response.status}`, cause: undefined };
  if (!('data' in read)) throw new RobotError('CARRIER_BAD_PAYLOAD', `Login with Amazon answered the token request with ${read.problem}`, { evidence, cause: read.cause });
  return { token: read.data.access_token, expiresInMs: read.data.expires_in * 1000 };
}
