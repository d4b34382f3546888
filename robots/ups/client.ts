import { randomUUID } from 'node:crypto';
import { type HttpRequest, type RobotContext, RobotError, httpEvidence, joinUrl, pausingAfterRefusal } from '../../src/robot-kit/index.ts';
import { type UpsCredentials, fetchAccessToken } from './oauth.ts';
import { throwForUpsStatus } from './ups-errors.ts';

export interface UpsSettings extends UpsCredentials {
  /** The `transactionSrc` header: names the calling application to UPS. */
  transactionSrc: string;
  /** The `locale` parameter: the language of the descriptions. */
  locale: string;
}

export interface UpsClient {
  /** The status and body of the Track answer for one inquiry number; shared errors are thrown. */
  trackDetails(trackingNumber: string): Promise<{ status: number; text: string }>;
}

/** A fresh `transId` per call: UPS asks for one unique to the request, 32 characters at most. */
const newTransId = (): string => randomUUID().replaceAll('-', '');

/**
 * Track API calls (carrier-apis.md 4.2) with a Bearer token from the shared cache. I/O only. On a
 * 401 the refused token is forgotten, a new one fetched (once for every worker, by the cache) and
 * the call made again; a second 401 is CARRIER_AUTH_REFUSED. Other shared errors (403, 429,
 * timeouts, 5xx) are thrown here; the status and body of every other answer go to the parser.
 */
export function createUpsClient(context: Pick<RobotContext, 'http' | 'tokens' | 'clock'>, settings: UpsSettings): UpsClient {
  const { http, tokens, clock } = context;
  // A token belongs to one app at one host: a simulator's token is no good at UPS, and the key says so.
  const tokenKey = `ups:${new URL(settings.apiUrl).origin}:${settings.clientId}`;
  const issue = pausingAfterRefusal((nowMs) => fetchAccessToken(http, settings, nowMs), clock);

  async function call(trackingNumber: string, token: string) {
    const request = trackRequest(settings, trackingNumber, token, newTransId());
    return { request, response: await http.request(request) };
  }

  return {
    async trackDetails(trackingNumber) {
      const token = await tokens.get(tokenKey, issue);
      let { request, response } = await call(trackingNumber, token);
      if (response.status === 401) {
        await tokens.invalidate(tokenKey, token);
        ({ request, response } = await call(trackingNumber, await tokens.get(tokenKey, issue)));
        if (response.status === 401) {
          throw new RobotError(
            'CARRIER_AUTH_REFUSED',
            'UPS refused a freshly issued token too (HTTP 401): check that the UPS app of UPS_CLIENT_ID has the Tracking API',
            { evidence: httpEvidence(request, response) },
          );
        }
      }
      throwForUpsStatus(request, response, clock.now().getTime());
      return { status: response.status, text: response.text };
    },
  };
}

/** `GET {apiUrl}/api/track/v1/details/{inquiryNumber}?locale=...`, without signature, milestones or POD. */
function trackRequest(settings: UpsSettings, trackingNumber: string, token: string, transId: string): HttpRequest {
  const url = new URL(joinUrl(settings.apiUrl, `/api/track/v1/details/${encodeURIComponent(trackingNumber)}`));
  url.search = new URLSearchParams({ locale: settings.locale, returnSignature: 'false', returnMilestones: 'false', returnPOD: 'false' }).toString();
  return {
    method: 'GET',
    url: url.href,
    headers: { Authorization: `Bearer ${token}`, transId, transactionSrc: settings.transactionSrc, Accept: 'application/json' },
    timeoutMs: settings.timeoutMs,
  };
}
