import { randomUUID } from 'node:crypto';
import { type IssuedToken, pausingAfterRefusal, type RobotContext, type TrackOutcome } from '../../src/robot-kit/index.ts';
import { type FedExSettings, postTrackingNumbers, requestToken } from './client.ts';
import { parseTrackResponse } from './parse.ts';
import { readTokenResponse } from './token.ts';

/**
 * The cache key of a project's token. Every worker of every process shares it through
 * `context.tokens`, so one token serves them all for its 60 minutes. The host is part of it:
 * the sandbox and production issue tokens that are worthless to each other.
 */
export function tokenKey(settings: FedExSettings): string {
  return `fedex:${settings.apiUrl}:${settings.clientId}`;
}

export interface FedExSession {
  /**
   * One Track call for up to 30 distinct numbers, with the shared token. A 401 means FedEx dropped
   * the token before the cache did (expired, revoked): it is forgotten, one new token is fetched
   * and the call is made once more. A second 401, or a refused token request, is final; refused
   * credentials are not offered again for a while (REFUSED_CREDENTIALS_PAUSE_MS), as UPS's.
   */
  trackBatch(numbers: readonly string[]): Promise<TrackOutcome[]>;
}

/** One per robot instance: its token requests share the pause after a refusal. */
export function createFedExSession(context: RobotContext, settings: FedExSettings): FedExSession {
  const fetchToken = pausingAfterRefusal(async (nowMs) => readTokenResponse(await requestToken(context.http, settings), nowMs), context.clock);
  return { trackBatch: (numbers) => trackBatch(context, settings, fetchToken, numbers) };
}

async function trackBatch(context: RobotContext, settings: FedExSettings, fetchToken: () => Promise<IssuedToken>, numbers: readonly string[]): Promise<TrackOutcome[]> {
  const key = tokenKey(settings);
  const transactionId = randomUUID();
  const logger = context.logger.child({ fedexTransactionId: transactionId });

  let token = await context.tokens.get(key, fetchToken);
  let exchange = await postTrackingNumbers(context.http, settings, token, numbers, transactionId);
  if (exchange.response.status === 401) {
    logger.info('FedEx refused the cached access token (HTTP 401): fetching a new one, once');
    await context.tokens.invalidate(key, token);
    token = await context.tokens.get(key, fetchToken);
    exchange = await postTrackingNumbers(context.http, settings, token, numbers, transactionId);
  }
  logger.debug({ numbers: numbers.length, status: exchange.response.status }, 'FedEx track call');
  return parseTrackResponse(exchange, numbers, context.clock.now().getTime());
}
