import type { IssuedToken } from '../../src/robot-kit/index.ts';
import { type AuthRefusal, type Exchange, badPayload, firstIssue, throwForFedExStatus } from './fedex-errors.ts';
import { tokenResponse } from './payload.ts';

/**
 * Any 4xx but 408 and 429 refuses the token request: the endpoint's only job is to judge the
 * credentials, and asking again would not change its mind.
 */
const TOKEN_REFUSAL: AuthRefusal = {
  refuses: (status) => status >= 400 && status < 500 && status !== 408 && status !== 429,
  advice: 'check FEDEX_CLIENT_ID and FEDEX_CLIENT_SECRET (the API key and secret key of a developer.fedex.com project that has the Track API)',
};

/** The answer of `POST /oauth/token`, as the token and its lifetime. Pure. */
export function readTokenResponse(exchange: Exchange, nowMs: number): IssuedToken {
  const { response } = exchange;
  throwForFedExStatus(exchange, nowMs, TOKEN_REFUSAL);
  if (response.status !== 200) throw badPayload(exchange, 'the OAuth API documents no such status', undefined, redacted(response.text));
  let json: unknown;
  try {
    json = JSON.parse(response.text);
  } catch {
    // Not kept as the cause: JSON.parse quotes the text around the fault, possibly a token.
    throw badPayload(exchange, 'the body is not JSON', undefined, redacted(response.text));
  }
  const parsed = tokenResponse.safeParse(json);
  if (!parsed.success) throw badPayload(exchange, firstIssue(parsed.error.issues), parsed.error, redacted(response.text));
  // Whole milliseconds, as the token cache keeps them (`expires_in` may have a fraction).
  return { token: parsed.data.access_token, expiresInMs: Math.round(parsed.data.expires_in * 1000) };
}

/** The body kept as evidence, without the token it may hold. */
function redacted(text: string): string {
  return text.replace(/("access_token"\s*:\s*")[^"]*"/g, '$1[redacted]"');
}
