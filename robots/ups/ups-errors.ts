import { type HttpRequest, type HttpResponse, RobotError, httpEvidence, readJsonPayload, throwForCommonStatus } from '../../src/robot-kit/index.ts';
import { errorResponse } from './payload.ts';

/** `TB0403 "Blocked Merchant"`: one error of UPS's `response.errors[]`, for messages. */
export function quote({ code, message }: { code: string; message: string }): string {
  return `${code} "${message}"`;
}

/**
 * What to do about refused credentials. UPS has no API key: the robot signs in as an OAuth app
 * (UPS_CLIENT_ID), and a 403 "Blocked Merchant" (TB0403) refuses that app's account, which no
 * new token or key changes.
 */
const AUTH_ADVICE: Readonly<Record<number, string>> = {
  401: 'check UPS_CLIENT_ID and UPS_CLIENT_SECRET, and that their app has the Tracking API at developer.ups.com',
  403: 'UPS blocks the account of the app UPS_CLIENT_ID: ask UPS support to unblock it, or set UPS_CLIENT_ID and UPS_CLIENT_SECRET to an app of an account in good standing',
};

/**
 * Throws UPS's reading of refused credentials (401, 403), quoting the codes UPS gave, then the
 * errors every carrier shares (429, timeouts, 5xx). Other statuses are left to the parser.
 */
export function throwForUpsStatus(request: HttpRequest, response: HttpResponse, nowMs: number): void {
  const advice = AUTH_ADVICE[response.status];
  if (advice !== undefined) {
    throw new RobotError('CARRIER_AUTH_REFUSED', `UPS refused the credentials (${statusLine(response)}): ${advice}`, { evidence: httpEvidence(request, response) });
  }
  throwForCommonStatus('UPS', request, response, nowMs);
}

/** `HTTP 403 TB0403 "Blocked Merchant"`; the status alone when the body has no UPS error list. */
function statusLine(response: HttpResponse): string {
  const read = readJsonPayload(response.text, errorResponse);
  if (!('data' in read)) return `HTTP ${response.status}`;
  return `HTTP ${response.status} ${read.data.response.errors.map(quote).join('; ').slice(0, 300)}`;
}
