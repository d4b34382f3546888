import { type HttpClient, type HttpRequest, throwForCommonStatus } from '../../src/robot-kit/index.ts';
import type { DailyQuotaWatch } from './daily-quota.ts';

export interface DhlSettings {
  /** Base URL: `https://api-eu.dhl.com`, or a simulator's, possibly with a path prefix. */
  apiUrl: string;
  apiKey: string;
  /** ISO 639-1 code of the free texts; DHL answers in it where the service can (`Content-Language`). */
  language: string;
  timeoutMs: number;
}

/**
 * One Unified API call for one number (the API takes one `trackingNumber` per call). I/O only:
 * a spent daily quota (told by `quota`) and the shared errors (auth, rate limit, timeouts, 5xx)
 * are thrown here; the status and body of every other answer go to `parseShipmentsResponse`.
 */
export async function fetchShipments(
  http: HttpClient,
  settings: DhlSettings,
  trackingNumber: string,
  nowMs: number,
  quota: DailyQuotaWatch,
): Promise<{ status: number; text: string }> {
  const request: HttpRequest = {
    method: 'GET',
    url: shipmentsUrl(settings.apiUrl, trackingNumber, settings.language),
    headers: { 'DHL-API-Key': settings.apiKey, Accept: 'application/json' },
    timeoutMs: settings.timeoutMs,
  };
  const response = await http.request(request);
  quota.check(request, response, nowMs);
  throwForCommonStatus('DHL', request, response, nowMs);
  return { status: response.status, text: response.text };
}

/**
 * `{apiUrl}/track/shipments?trackingNumber=...&language=...`, keeping any path prefix of `apiUrl`.
 * A base ending in `/track` (the OpenAPI's server URL, `https://api-eu.dhl.com/track`) is not
 * doubled: `/track/track/shipments` would only meet the gateway's 404.
 */
function shipmentsUrl(apiUrl: string, trackingNumber: string, language: string): string {
  const url = new URL(apiUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '').replace(/\/track$/, '')}/track/shipments`;
  url.search = new URLSearchParams({ trackingNumber, language }).toString();
  return url.href;
}
