import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { IssuedToken, TokenCache } from '../robot-kit/token-cache.ts';

export interface RedisTokenCacheOptions {
  /** Refresh this long before the issuer's expiry, so no call leaves with a dying token. */
  marginMs?: number;
  /** How long a worker waits for another one's fetch before fetching itself. */
  waitMs?: number;
  pollMs?: number;
}

// Deletes the key only if it still holds the value: release a lock we own, forget a token not yet replaced.
const DELETE_IF_EQUAL = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** Token cache on Redis: keys are hashed so a client id never appears in Redis key names. */
export function createRedisTokenCache(redis: Redis, prefix: string, options: RedisTokenCacheOptions = {}): TokenCache {
  const { marginMs = 60_000, waitMs = 15_000, pollMs = 50 } = options;
  const keyOf = (key: string) => `${prefix}:tokens:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;

  async function fetchAndStore(tokenKey: string, fetch: () => Promise<IssuedToken>): Promise<string> {
    const issued = await fetch();
    const ttl = Math.max(1000, issued.expiresInMs - marginMs);
    await redis.set(tokenKey, issued.token, 'PX', ttl);
    return issued.token;
  }

  return {
    async get(key, fetch) {
      const tokenKey = keyOf(key);
      const cached = await redis.get(tokenKey);
      if (cached) return cached;
      const lockKey = `${tokenKey}:lock`;
      const lockId = randomUUID();
      // Counted in polls, not read from a clock: only src/infra/clock.ts reads the time.
      for (let poll = 0; poll * pollMs < waitMs; poll++) {
        if (await redis.set(lockKey, lockId, 'PX', waitMs, 'NX')) {
          try {
            // Another worker may have stored one between our read and our lock.
            return (await redis.get(tokenKey)) ?? (await fetchAndStore(tokenKey, fetch));
          } finally {
            await redis.eval(DELETE_IF_EQUAL, 1, lockKey, lockId);
          }
        }
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        const fetched = await redis.get(tokenKey);
        if (fetched) return fetched;
      }
      // The lock holder vanished (a killed process): fetch ourselves rather than wait forever.
      return fetchAndStore(tokenKey, fetch);
    },
    async invalidate(key, token) {
      await redis.eval(DELETE_IF_EQUAL, 1, keyOf(key), token);
    },
  };
}
