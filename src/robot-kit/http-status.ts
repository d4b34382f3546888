import type { HttpRequest, HttpResponse } from './http-client.ts';
import { type Evidence, RobotError } from './robot-error.ts';

/** Evidence of one HTTP exchange. The URL keeps no query string: carriers put keys there. */
export function httpEvidence(request: HttpRequest, response?: HttpResponse): Evidence {
  return {
    request: { method: request.method, url: request.url.split('?')[0] ?? request.url },
    status: response?.status,
    body: response?.text,
  };
}

/** Retry-After is either seconds or an HTTP date; absent or unreadable means "one second". */
export function parseRetryAfter(value: string | undefined, nowMs: number): number {
  if (!value) return 1000;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? 1000 : Math.max(0, date - nowMs);
}

const DAY_MS = 24 * 3600_000;

/** Milliseconds until the next 00:00 GMT, when carriers' daily quotas (DHL, FedEx) come back. */
export function msToNextGmtDay(nowMs: number): number {
  return DAY_MS - (((nowMs % DAY_MS) + DAY_MS) % DAY_MS);
}

/**
 * Throws the RobotError every carrier shares for auth (401/403), rate limit (429), timeouts
 * (408, 504) and server errors (5xx). Other statuses are left to the robot, which knows its
 * carrier's meaning of 200, 207, 400 and 404.
 */
export function throwForCommonStatus(carrier: string, request: HttpRequest, response: HttpResponse, nowMs: number): void {
  const { status } = response;
  const evidence = httpEvidence(request, response);
  if (status === 401 || status === 403) {
    throw new RobotError('CARRIER_AUTH_REFUSED', `${carrier} refused the credentials (HTTP ${status}): check the API key`, { evidence });
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], nowMs);
    throw new RobotError('CARRIER_RATE_LIMITED', `${carrier} rate limit reached (HTTP 429), retry in ${Math.ceil(retryAfterMs / 1000)} s`, { evidence, retryAfterMs });
  }
  if (status === 408 || status === 504) {
    throw new RobotError('CARRIER_TIMEOUT', `${carrier} timed out (HTTP ${status})`, { evidence });
  }
  if (status >= 500) {
    throw new RobotError('CARRIER_UNAVAILABLE', `${carrier} is unavailable (HTTP ${status})`, { evidence });
  }
}
