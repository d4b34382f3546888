import { createHash } from 'node:crypto';
import { type HttpRequest, type HttpResponse, type RobotContext, RobotError, httpEvidence, joinUrl, parseRetryAfter, readJsonPayload, throwForCommonStatus } from '../../src/robot-kit/index.ts';
import { fetchLwaToken, type LwaCredentials } from './lwa.ts';
import { errorsBody } from './payload.ts';

export interface AmazonSettings extends LwaCredentials {
  /** `https://sellingpartnerapi-eu.amazon.com` (or -na, -fe), or a simulator's. */
  spapiUrl: string;
  marketplaceIds: readonly string[];
}

export interface AmazonClient {
  /** getOrders with these parameters (MarketplaceIds added): the body of a 200 answer. */
  getOrders(params: Record<string, string>): Promise<string>;
}

/** getOrders' usage plan is 0.0167 requests a second (carrier-apis.md 9.2): a minute between calls. */
const DEFAULT_WAIT_MS = 60_000;

/**
 * Orders v0 over HTTP with an LWA access token from the shared cache (one per app and seller for
 * every worker and process, like UPS's). I/O only. A 403 about the token (it expired, or was
 * revoked) forgets it and asks again once with a fresh one; any other 403 is the app's access
 * refused. A 429 says how long to wait: Retry-After when sent, else one call's share of the
 * usage plan from `x-amzn-RateLimit-Limit`.
 */
export function createAmazonClient(context: Pick<RobotContext, 'http' | 'tokens' | 'clock'>, settings: AmazonSettings): AmazonClient {
  const { http, tokens, clock } = context;
  const seller = createHash('sha256').update(settings.refreshToken).digest('hex').slice(0, 16);
  const tokenKey = `amazon:${new URL(settings.lwaUrl).origin}:${settings.clientId}:${seller}`;
  const issue = () => fetchLwaToken(http, settings, clock.now().getTime());

  async function call(params: Record<string, string>, token: string) {
    const url = new URL(joinUrl(settings.spapiUrl, '/orders/v0/orders'));
    url.search = new URLSearchParams({ MarketplaceIds: settings.marketplaceIds.join(','), ...params }).toString();
    const request: HttpRequest = { method: 'GET', url: url.href, headers: { 'x-amz-access-token': token, Accept: 'application/json', 'User-Agent': 'parcelbot/0.1 (Language=TypeScript)' }, timeoutMs: settings.timeoutMs };
    return { request, response: await http.request(request) };
  }

  return {
    async getOrders(params) {
      const token = await tokens.get(tokenKey, issue);
      let { request, response } = await call(params, token);
      if (response.status === 403 && aboutTheToken(response)) {
        await tokens.invalidate(tokenKey, token);
        ({ request, response } = await call(params, await tokens.get(tokenKey, issue)));
      }
      if (response.status === 200) return response.text;
      throw failure(request, response, clock.now().getTime());
    },
  };
}

function errorsOf(response: HttpResponse) {
  const read = readJsonPayload(response.text, errorsBody);
  return 'data' in read ? read.data.errors : [];
}

function aboutTheToken(response: HttpResponse): boolean {
  return errorsOf(response).some((error) => /token/i.test(`${error.message} ${error.details ?? ''}`));
}

function failure(request: HttpRequest, response: HttpResponse, nowMs: number): RobotError {
  const evidence = httpEvidence(request, response);
  const said = errorsOf(response)
    .map((error) => `${error.code}: ${error.message}`)
    .join('; ')
    .slice(0, 300);
  if (response.status === 401 || response.status === 403) {
    return new RobotError('CARRIER_AUTH_REFUSED', `Amazon refused getOrders (HTTP ${response.status}${said ? `, ${said}` : ''}): check that the app has the Orders role and AMAZON_REFRESH_TOKEN is the seller's`, { evidence });
  }
  if (response.status === 429) {
    const limit = Number(response.headers['x-amzn-ratelimit-limit']);
    const retryAfterMs =
      response.headers['retry-after'] !== undefined ? parseRetryAfter(response.headers['retry-after'], nowMs) : Number.isFinite(limit) && limit > 0 ? Math.ceil(1000 / limit) : DEFAULT_WAIT_MS;
    return new RobotError('CARRIER_RATE_LIMITED', `Amazon throttled getOrders (HTTP 429${said ? `, ${said}` : ''}), retry in ${Math.ceil(retryAfterMs / 1000)} s`, { evidence, retryAfterMs });
  }
  try {
    throwForCommonStatus('Amazon', request, response, nowMs);
  } catch (error) {
    return error as RobotError;
  }
  return new RobotError('CARRIER_BAD_REQUEST', `Amazon refused getOrders (HTTP ${response.status})${said ? `: ${said}` : ''}`, { evidence });
}
