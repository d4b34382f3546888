import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { IssuedToken, TokenCache } from '../robot-kit/token-cache.ts';

export interface RedisTokenCacheOptions {
  /** Refresh this long before the issuer's expiry, so no call leaves with a dying token. */
  marginMs?: number;
  /**
   * The fetch lock's time to live. The worker fetching renews it every third of that while its
   * fetch runs, so the lock outlasts any fetch, and ends this soon after a holder that died.
   */
  lockMs?: number;
  /**
   * How long a worker waits for another one's fetch. Past it, with the lock still renewed by a
   * live fetch, it gives up (FetchStillRunning) rather than fetch alongside it: a second login
   * could spend a one-time code the first one needs.
   */
  waitMs?: number;
  pollMs?: number;
}

/** Another worker's fetch of this token is still running after the wait. */
export class FetchStillRunning extends Error {
  constructor(waitMs: number) {
    super(`another worker has been fetching this token for more than ${waitMs} ms`);
    this.name = 'FetchStillRunning';
  }
}

/** A TokenCache that can also put back a token its holder changed (a cookie jar a portal updated). */
export interface RedisTokenCache extends TokenCache {
  /**
   * Stores `next` in place of `previous`, keeping the time left to live, only if the cache still
   * holds `previous`: a token replaced meanwhile (a newer one, a fresh login) is never overwritten
   * by one derived from an older. Returns whether it was stored.
   */
  replace(key: string, previous: string, next: string): Promise<boolean>;
}

// Deletes the key only if it still holds the value: release a lock we own, forget a token not yet replaced.
const DELETE_IF_EQUAL = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const EXPIRE_IF_EQUAL = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const REPLACE_IF_EQUAL = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('set', KEYS[1], ARGV[2], 'KEEPTTL') return 1 else return 0 end`;

/** Token cache on Redis: keys are hashed so a client id never appears in Redis key names. */
export function createRedisTokenCache(redis: Redis, prefix: string, options: RedisTokenCacheOptions = {}): RedisTokenCache {
  const { marginMs = 60_000, lockMs = 5_000, waitMs = 15_000, pollMs = 50 } = options;
  const keyOf = (key: string) => `${prefix}:tokens:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;

  async function fetchAndStore(tokenKey: string, fetch: () => Promise<IssuedToken>): Promise<string> {
    const issued = await fetch();
    const ttl = Math.max(1000, issued.expiresInMs - marginMs);
    await redis.set(tokenKey, issued.token, 'PX', ttl);
    return issued.token;
  }

  /** Runs `work` holding the lock, renewed until it ends. */
  async function holding<T>(lockKey: string, lockId: string, work: () => Promise<T>): Promise<T> {
    const renewal = setInterval(() => void redis.eval(EXPIRE_IF_EQUAL, 1, lockKey, lockId, lockMs).catch(() => {}), Math.max(1, Math.floor(lockMs / 3)));
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      await redis.eval(DELETE_IF_EQUAL, 1, lockKey, lockId);
    }
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
        if (await redis.set(lockKey, lockId, 'PX', lockMs, 'NX')) {
          // Another worker may have stored one between our read and our lock.
          return holding(lockKey, lockId, async () => (await redis.get(tokenKey)) ?? (await fetchAndStore(tokenKey, fetch)));
        }
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        const fetched = await redis.get(tokenKey);
        if (fetched) return fetched;
      }
      // A holder that died stops renewing: its lock would have ended and been ours above.
      throw new FetchStillRunning(waitMs);
    },
    async invalidate(key, token) {
      await redis.eval(DELETE_IF_EQUAL, 1, keyOf(key), token);
    },
    async replace(key, previous, next) {
      return (await redis.eval(REPLACE_IF_EQUAL, 1, keyOf(key), previous, next)) === 1;
    },
  };
}
