import {
  type Evidence,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  type IssuedToken,
  RobotError,
  httpEvidence,
  joinUrl,
  throwForCommonStatus,
  withoutTokens,
} from '../../src/robot-kit/index.ts';
import { tokenResponse } from './payload.ts';

export interface UpsCredentials {
  /** Base URL: `https://onlinetools.ups.com`, or a simulator's, possibly with a path prefix. */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
}

/**
 * OAuth 2 client credentials (carrier-apis.md 4.1): `POST {apiUrl}/security/v1/oauth/token`, the
 * client id and secret in HTTP Basic auth, `grant_type=client_credentials` form-encoded. I/O only.
 * A refused request (401/403) is CARRIER_AUTH_REFUSED, final: the credentials are wrong and
 * asking again would only be refused again.
 */
export async function fetchAccessToken(http: HttpClient, credentials: UpsCredentials, nowMs: number): Promise<IssuedToken> {
  const request: HttpRequest = {
    method: 'POST',
    url: joinUrl(credentials.apiUrl, '/security/v1/oauth/token'),
    headers: {
      Authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
    timeoutMs: credentials.timeoutMs,
  };
  const response = await http.request(request);
  const evidence = { ...httpEvidence(request, response), step: 'oauth token', body: withoutTokens(response.text) };
  if (response.status === 401 || response.status === 403) {
    throw new RobotError(
      'CARRIER_AUTH_REFUSED',
      `UPS refused the client credentials at the token endpoint (HTTP ${response.status}): check UPS_CLIENT_ID and UPS_CLIENT_SECRET`,
      { evidence },
    );
  }
  throwForCommonStatus('UPS', request, { ...response, text: evidence.body }, nowMs);
  if (response.status !== 200) {
    throw new RobotError('CARRIER_BAD_REQUEST', `UPS refused the token request (HTTP ${response.status})`, { evidence });
  }
  return readToken(response, evidence);
}

function readToken(response: HttpResponse, evidence: Evidence): IssuedToken {
  let json: unknown;
  try {
    json = JSON.parse(response.text);
  } catch (cause) {
    throw new RobotError('CARRIER_BAD_PAYLOAD', 'UPS answered the token request with a body that is not JSON', { evidence, cause });
  }
  const result = tokenResponse.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.map(String).join('.') || 'the top level';
    throw new RobotError('CARRIER_BAD_PAYLOAD', `UPS answered the token request with a body that does not match OAuth: at ${where}: ${issue?.message}`, { evidence });
  }
  // The lifetime counts from issue, which is now: `issued_at` is not used because it comes from
  // UPS's clock, and any skew with ours would shorten or stretch every token.
  return { token: result.data.access_token, expiresInMs: Number(result.data.expires_in) * 1000 };
}
