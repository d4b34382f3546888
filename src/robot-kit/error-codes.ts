/**
 * Every error code a robot can raise, once, with what the runtime must do about it.
 * Each code is documented once in robots/README.md (error-codes.test.ts checks both ways).
 * Codes are never reused: retire one by leaving it here, documented as retired.
 *
 * - transient: retried with exponential backoff and jitter; an exception after the last attempt.
 * - rate_limited: waits for Retry-After without using up an attempt.
 * - session_expired: logs in again once, then retries.
 * - final: no retry; an exception with evidence at once.
 */
export type RetryPolicy = 'transient' | 'rate_limited' | 'session_expired' | 'final';

export const ERROR_CODES = {
  CARRIER_TIMEOUT: { policy: 'transient', summary: 'The carrier did not answer within the timeout.' },
  CARRIER_NETWORK_ERROR: { policy: 'transient', summary: 'The connection to the carrier failed (refused, reset, DNS).' },
  CARRIER_UNAVAILABLE: { policy: 'transient', summary: 'The carrier answered with a server error (5xx).' },
  CARRIER_RATE_LIMITED: { policy: 'rate_limited', summary: 'The carrier answered 429: too many requests.' },
  CARRIER_AUTH_REFUSED: { policy: 'final', summary: 'The carrier refused the credentials (401/403).' },
  CARRIER_BAD_REQUEST: { policy: 'final', summary: 'The carrier rejected the request as malformed (400).' },
  CARRIER_BAD_PAYLOAD: { policy: 'final', summary: 'The carrier answered with a body that does not match its documented format.' },
  TRACKING_NUMBER_INVALID: { policy: 'final', summary: 'The tracking number does not have a format the carrier accepts.' },
  ROBOT_NOT_CONFIGURED: { policy: 'final', summary: 'A setting the robot needs (API key, URL...) is missing.' },
  HOST_NOT_ALLOWED: { policy: 'final', summary: "A request to a host none of the robot's configured URLs names (a redirect, a link from a payload): refused unsent." },
  PORTAL_LOGIN_REFUSED: { policy: 'final', summary: 'The portal refused the login (wrong password or second factor): fix the account; never retried, so the account is not locked.' },
  PORTAL_ACCOUNT_LOCKED: { policy: 'final', summary: 'The portal says the account is locked: a human must unlock it.' },
  PORTAL_SESSION_EXPIRED: { policy: 'session_expired', summary: 'The portal session ended mid-flow: logged in again once, then the step is retried.' },
  PORTAL_LAYOUT_CHANGED: { policy: 'final', summary: 'A required element is missing from a portal page: its layout changed; a screenshot and the page HTML are kept as evidence.' },
  PORTAL_PAGE_ERROR: { policy: 'transient', summary: 'The portal answered an error page (5xx) or did not load in time.' },
  REQUEST_REFUSED: { policy: 'final', summary: 'The system understood the request and turned it down on business grounds (a refund above the order total, a claim the carrier will not take): change the request.' },
  FOLLOW_UP_INVALID: { policy: 'final', summary: 'A follow-up cannot be carried out as proposed (no order reference or amount, no executor or robot for it): a manager decides.' },
  EFFECT_UNCERTAIN: { policy: 'final', summary: 'A worker stopped between an external call and its record, and the target cannot be asked whether it acted: not repeated; a manager checks the target by hand.' },
  MANAGER_CASE: { policy: 'final', summary: 'A rule asks a manager to look at a shipment (too many contacts, too slow a resolution...): a case, not a fault.' },
  UNEXPECTED_ERROR: { policy: 'transient', summary: 'A fault outside the robot (store, queue, a bug): retried, then an exception.' },
  SMTP_UNAVAILABLE: { policy: 'transient', summary: 'The mail server could not be reached, timed out or answered a temporary refusal (4xx).' },
  SMTP_REJECTED: { policy: 'final', summary: 'The mail server refused the message or the login for good (5xx): fix the address or the SMTP settings.' },
  ORDER_DATA_MISSING: { policy: 'final', summary: 'The shipment lacks order data the follow-up needs (customer e-mail or address, declared value): complete the order data.' },
  FOLLOW_UP_PARAMS_INVALID: { policy: 'final', summary: 'The follow-up was given parameters its executor cannot use (unknown template, claim type...): fix the rule.' },
} as const satisfies Record<string, { policy: RetryPolicy; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function retryPolicyOf(code: ErrorCode): RetryPolicy {
  return ERROR_CODES[code].policy;
}
