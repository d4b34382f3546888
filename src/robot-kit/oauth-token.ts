import { z } from 'zod';

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
