import { z } from 'zod';
import type { Clock } from './robot-context.ts';
import { RobotError } from './robot-error.ts';
import type { IssuedToken } from './token-cache.ts';

/**
 * The two fields every OAuth 2 token answer has (RFC 6749 5.1), checked as the runtime uses them:
 * the token goes into a request header, its lifetime into the shared token cache.
 */

/** `access-token = 1*VSCHAR` (RFC 6749 A.12): a line break or other control character would break the header it is sent in. */
export const accessToken = z.string().regex(/^[\x20-\x7E]+$/, 'expected an access token of printable ASCII characters');

/**
 * Providers give tokens an hour or a few. A lifetime past a year is no lifetime a cache can keep
 * (Redis takes whole milliseconds, and 1e23 is no longer written as one).
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 365 * 24 * 3600;

/**
 * How long refused credentials are not offered again. Workers waiting for the token would
 * otherwise each ask in turn and each be refused, and repeated failed logins can get an app locked.
 */
export const REFUSED_CREDENTIALS_PAUSE_MS = 5 * 60_000;

/**
 * A token request (`issue`) that, once the issuer refused the credentials (CARRIER_AUTH_REFUSED),
 * refuses at once for REFUSED_CREDENTIALS_PAUSE_MS instead of offering them again. One per robot
 * instance: the pause lives as long as the process's robot does.
 */
export function pausingAfterRefusal(issue: (nowMs: number) => Promise<IssuedToken>, clock: Clock): () => Promise<IssuedToken> {
  let refused: { error: RobotError; untilMs: number } | undefined;
  return async () => {
    const nowMs = clock.now().getTime();
    if (refused && nowMs < refused.untilMs) {
      throw new RobotError('CARRIER_AUTH_REFUSED', refused.error.message, { evidence: refused.error.evidence });
    }
    try {
      return await issue(nowMs);
    } catch (error) {
      if (!(error instanceof RobotError) || error.code !== 'CARRIER_AUTH_REFUSED') throw error;
      const pause = `${error.message} (not offered again for ${REFUSED_CREDENTIALS_PAUSE_MS / 60_000} minutes)`;
      refused = { error: new RobotError('CARRIER_AUTH_REFUSED', pause, { evidence: error.evidence, cause: error }), untilMs: nowMs + REFUSED_CREDENTIALS_PAUSE_MS };
      throw refused.error;
    }
  };
}
