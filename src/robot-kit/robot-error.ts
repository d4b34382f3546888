import { type ErrorCode, type RetryPolicy, retryPolicyOf } from './error-codes.ts';
import { withoutPersonalData } from './personal-data.ts';

/** What a robot saw when it failed: kept with the exception so a manager can judge. Never secrets. */
export interface Evidence {
  request?: { method: string; url: string };
  status?: number;
  /** The payload as received, its personal data blanked (`withoutPersonalData`), cut to `EVIDENCE_BODY_MAX` characters. */
  body?: string;
  /** Which step of a multi-step robot failed. */
  step?: string;
  /** A portal page as the robot saw it: PNG screenshot (base64) and HTML, passwords blanked. */
  screenshot?: string;
  html?: string;
}

export const EVIDENCE_BODY_MAX = 64 * 1024;

export interface RobotErrorOptions {
  evidence?: Evidence;
  /** For CARRIER_RATE_LIMITED: how long the carrier asked us to wait. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * The one error type robots throw. The code says what happened; its registered policy says
 * what the runtime does (src/jobs/failure-policy.ts). Messages never hold secrets or customer data.
 */
export class RobotError extends Error {
  readonly code: ErrorCode;
  readonly evidence?: Evidence;
  readonly retryAfterMs?: number;

  constructor(code: ErrorCode, message: string, options: RobotErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'RobotError';
    this.code = code;
    this.evidence = options.evidence && { ...options.evidence, body: keptBody(options.evidence.body) };
    this.retryAfterMs = options.retryAfterMs;
  }

  get policy(): RetryPolicy {
    return retryPolicyOf(this.code);
  }
}

/**
 * Every body kept as evidence, whichever robot read it, loses its personal data here. Blanked
 * before it is cut, so a cut cannot leave half an address that no pattern recognises any more.
 */
function keptBody(body: string | undefined): string | undefined {
  return body === undefined ? undefined : withoutPersonalData(body).slice(0, EVIDENCE_BODY_MAX);
}
