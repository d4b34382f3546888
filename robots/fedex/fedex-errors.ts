import { type HttpRequest, type HttpResponse, RobotError, httpEvidence, msToNextGmtDay, throwForCommonStatus } from '../../src/robot-kit/index.ts';
import { errorResponse } from './payload.ts';

export const CARRIER = 'FedEx';

/** One call to FedEx and its answer: what every reader of an answer needs for its evidence. */
export interface Exchange {
  request: HttpRequest;
  response: HttpResponse;
}

/** `FORBIDDEN.ERROR, ...` of a FedEx error body, for messages; empty when the body has no such list. */
export function errorCodesOf(text: string): string {
  try {
    const parsed = errorResponse.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.errors.map((error) => error.code).join(', ') : '';
  } catch {
    return '';
  }
}

/** "HTTP 401 NOT.AUTHORIZED.ERROR" */
export function statusLine({ response }: Exchange): string {
  const codes = errorCodesOf(response.text);
  return codes ? `HTTP ${response.status} ${codes}` : `HTTP ${response.status}`;
}

const DAILY_QUOTA = /12:00\s*AM GMT|daily transaction quota/i;

/** Which statuses refuse the credentials, and what to tell the person who set them. */
export interface AuthRefusal {
  refuses(status: number): boolean;
  advice: string;
}

/**
 * The statuses FedEx shares with every carrier (429, 408, 5xx) plus its own reading of refused
 * credentials and of the daily quota: "429 - Daily transaction quota exceeded. Retry after 12:00AM GMT" comes
 * without Retry-After (its body is not publicly documented), and waiting one second would only
 * hammer FedEx until midnight GMT, so the robot waits until then.
 */
export function throwForFedExStatus(exchange: Exchange, nowMs: number, auth: AuthRefusal): void {
  const { request, response } = exchange;
  const evidence = httpEvidence(request, response);
  if (auth.refuses(response.status)) {
    throw new RobotError('CARRIER_AUTH_REFUSED', `${CARRIER} refused the credentials (${statusLine(exchange)}): ${auth.advice}`, { evidence });
  }
  if (response.status === 429 && response.headers['retry-after'] === undefined && DAILY_QUOTA.test(response.text)) {
    throw new RobotError('CARRIER_RATE_LIMITED', `${CARRIER} daily transaction quota exceeded (HTTP 429), retry after 12:00AM GMT`, { evidence, retryAfterMs: msToNextGmtDay(nowMs) });
  }
  throwForCommonStatus(CARRIER, request, response, nowMs);
}

export function badPayload(exchange: Exchange, detail: string, cause?: unknown, body = exchange.response.text): RobotError {
  const evidence = { ...httpEvidence(exchange.request, exchange.response), body };
  const message = `${CARRIER} answered HTTP ${exchange.response.status} with a body that does not match its API: ${detail}`;
  return new RobotError('CARRIER_BAD_PAYLOAD', message, { evidence, cause });
}

/** The first zod issue, as "at output.completeTrackResults.0.trackResults: expected array". */
export function firstIssue(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  const issue = issues[0];
  return `at ${issue?.path.map(String).join('.') || 'the top level'}: ${issue?.message}`;
}
