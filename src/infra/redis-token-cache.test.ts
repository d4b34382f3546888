import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../testing/test-app.ts';
import { createHash } from 'node:crypto';
import { createRedisTokenCache, FetchStillRunning } from './redis-token-cache.ts';

describe('Redis token cache', () => {
  const redis = new Redis(TEST_REDIS_URL);
  let prefix: string;
  beforeEach(() => {
    prefix = `test-tokens-${randomBytes(4).toString('hex')}`;
  });
  afterAll(async () => {
    const keys = await redis.keys('test-tokens-*');
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  function issuer(lifetimeMs = 3_600_000, takesMs = 30) {
    let issued = 0;
    return {
      count: () => issued,
      fetch: async () => {
        issued += 1;
        await new Promise((resolve) => setTimeout(resolve, takesMs));
        return { token: `token-${issued}`, expiresInMs: lifetimeMs };
      },
    };
  }

  it('fetches one token for many workers missing at once, and serves it from Redis afterwards', async () => {
    const tokens = createRedisTokenCache(redis, prefix);
    const ups = issuer();
    const got = await Promise.all(Array.from({ length: 20 }, () => tokens.get('ups:client-a', ups.fetch)));
    expect(new Set(got)).toEqual(new Set(['token-1']));
    expect(await createRedisTokenCache(redis, prefix).get('ups:client-a', ups.fetch)).toBe('token-1');
    expect(ups.count()).toBe(1);
  });

  it('refreshes once when many workers report the same refused token', async () => {
    const tokens = createRedisTokenCache(redis, prefix);
    const ups = issuer();
    const first = await tokens.get('ups:client-a', ups.fetch);
    await Promise.all(Array.from({ length: 5 }, () => tokens.invalidate('ups:client-a', first)));
    const again = await Promise.all(Array.from({ length: 5 }, () => tokens.get('ups:client-a', ups.fetch)));
    expect(new Set(again)).toEqual(new Set(['token-2']));
    await tokens.invalidate('ups:client-a', first);
    expect(await tokens.get('ups:client-a', ups.fetch)).toBe('token-2');
    expect(ups.count()).toBe(2);
  });

  it('keeps credentials apart and never puts them in key names', async () => {
    const tokens = createRedisTokenCache(redis, prefix);
    const ups = issuer();
    expect(await tokens.get('ups:client-a', ups.fetch)).not.toBe(await tokens.get('ups:client-b', ups.fetch));
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.join(' ')).not.toContain('client-a');
  });

  it('expires a token before the issuer does', async () => {
    const tokens = createRedisTokenCache(redis, prefix, { marginMs: 60_000 });
    const shortLived = issuer(61_500);
    await tokens.get('fedex:x', shortLived.fetch);
    const [key] = await redis.keys(`${prefix}:tokens:*`);
    expect(await redis.pttl(key ?? '')).toBeLessThanOrEqual(1500);
  });

  it('keeps the lock for as long as a fetch runs, however long past its time to live', async () => {
    // A fetch of four times the lock's 300 ms, renewed every 100 ms: with a 90 ms lock, a test process
    // pausing that long (a collection in a heap that several test files share, under CI load) lost it.
    const tokens = createRedisTokenCache(redis, prefix, { lockMs: 300, waitMs: 5000, pollMs: 10 });
    const slow = issuer(3_600_000, 1200);
    const got = await Promise.all(Array.from({ length: 4 }, () => tokens.get('portal:ops', slow.fetch)));
    expect(new Set(got)).toEqual(new Set(['token-1']));
    expect(slow.count()).toBe(1);
  });

  it('fetches once the lock of a worker that died ends', async () => {
    const tokens = createRedisTokenCache(redis, prefix, { lockMs: 200, waitMs: 5000, pollMs: 10 });
    // The lock a killed process left: nobody renews it.
    await redis.set(`${prefix}:tokens:${createHash('sha256').update('ups:client-a').digest('hex').slice(0, 32)}:lock`, 'dead', 'PX', 200);
    const ups = issuer();
    expect(await tokens.get('ups:client-a', ups.fetch)).toBe('token-1');
    expect(ups.count()).toBe(1);
  });

  it('gives up waiting rather than fetch alongside a live fetch that outlasts the wait', async () => {
    // A lock of 300 ms renewed while the fetch runs: a loaded machine delaying a renewal by a few
    // tens of milliseconds must not let the waiter in (with 60 ms it sometimes did, under CI load).
    const [holder, waiter] = [createRedisTokenCache(redis, prefix, { lockMs: 300, waitMs: 5000 }), createRedisTokenCache(redis, prefix, { lockMs: 300, waitMs: 150, pollMs: 10 })];
    const slow = issuer(3_600_000, 1200);
    const first = holder.get('portal:ops', slow.fetch);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(waiter.get('portal:ops', slow.fetch)).rejects.toBeInstanceOf(FetchStillRunning);
    expect(await first).toBe('token-1');
    expect(slow.count()).toBe(1);
  });

  it('puts back a changed token only over the one it came from, keeping its time to live', async () => {
    const tokens = createRedisTokenCache(redis, prefix, { marginMs: 0 });
    const jar = await tokens.get('portal:ops', async () => ({ token: 'jar-0', expiresInMs: 60_000 }));
    expect(await tokens.replace('portal:ops', jar, 'jar-1')).toBe(true);
    // A job that started from jar-0 and ends later does not put its older jar back.
    expect(await tokens.replace('portal:ops', jar, 'jar-0b')).toBe(false);
    expect(await tokens.get('portal:ops', async () => ({ token: 'never', expiresInMs: 1 }))).toBe('jar-1');
    const [key] = await redis.keys(`${prefix}:tokens:*`);
    expect(await redis.pttl(key ?? '')).toBeGreaterThan(50_000);
  });
});
