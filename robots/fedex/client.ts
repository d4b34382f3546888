import type { HttpClient, HttpRequest } from '../../src/robot-kit/index.ts';
import type { Exchange } from './fedex-errors.ts';

export interface FedExSettings {
  /** Base URL: `https://apis.fedex.com`, the sandbox's, or a simulator's, possibly with a path prefix. */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
}

/**
 * `POST /oauth/token` with the project's API key and secret key (carrier-apis.md 5.1). I/O only:
 * readTokenResponse reads the answer.
 */
export async function requestToken(http: HttpClient, settings: FedExSettings): Promise<Exchange> {
  const request: HttpRequest = {
    method: 'POST',
    url: endpoint(settings.apiUrl, '/oauth/token'),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: settings.clientId, client_secret: settings.clientSecret }).toString(),
    timeoutMs: settings.timeoutMs,
  };
  return { request, response: await http.request(request) };
}

/**
 * One `POST /track/v1/trackingnumbers` for up to 30 numbers (carrier-apis.md 5.2). I/O only:
 * parseTrackResponse reads the answer. Texts are asked in en_US because reasons.ts reads them.
 */
export async function postTrackingNumbers(
  http: HttpClient,
  settings: FedExSettings,
  accessToken: string,
  numbers: readonly string[],
  transactionId: string,
): Promise<Exchange> {
  const request: HttpRequest = {
    method: 'POST',
    url: endpoint(settings.apiUrl, '/track/v1/trackingnumbers'),
    headers: {
      Authorization: `Bearer ${accessToken}`,
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'X-locale': 'en_US',
      // Echoed back as customerTransactionId: ties FedEx's logs to ours.
      'x-customer-transaction-id': transactionId,
    },
    body: JSON.stringify({ includeDetailedScans: true, trackingInfo: numbers.map((trackingNumber) => ({ trackingNumberInfo: { trackingNumber } })) }),
    timeoutMs: settings.timeoutMs,
  };
  return { request, response: await http.request(request) };
}

/** `{apiUrl}{path}`, keeping any path prefix of `apiUrl` and dropping any query it has. */
function endpoint(apiUrl: string, path: string): string {
  const url = new URL(apiUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  url.search = '';
  return url.href;
}
