/** An access token and how long the issuer says it lives. */
export interface IssuedToken {
  token: string;
  expiresInMs: number;
}

/**
 * OAuth access tokens shared by every worker of every process (UPS, FedEx...): one token is
 * fetched per credential while it lives, not one per worker. Implemented on Redis
 * (src/infra/redis-token-cache.ts).
 */
export interface TokenCache {
  /**
   * The cached token for `key`, or the one `fetch` gets when there is none. When several workers
   * miss at once, one fetches and the others wait for its token.
   */
  get(key: string, fetch: () => Promise<IssuedToken>): Promise<string>;
  /**
   * Forgets `token` after the carrier refused it (401): the next `get` fetches a new one. A token
   * another worker already replaced is left alone, so one 401 storm refreshes once.
   */
  invalidate(key: string, token: string): Promise<void>;
}
