import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Long enough to ride out a pause; a killed sweep's lock is free again after this. */
const SWEEP_LOCK_TTL_MS = 30_000;

// Renews or frees the lock only while it is still this holder's (a paused process may have lost it).
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

const lockKey = (prefix: string) => `${prefix}:sweep:running`;

/**
 * One sweep at a time per installation (queue prefix): two sweeps at once would queue the same
 * parcels twice. Held in Redis by the sweep's process, renewed while it runs; a sweep marked
 * running in the store whose id is not the holder's was stopped without saying so.
 */
export class SweepLock {
  readonly #timer: NodeJS.Timeout;

  private constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly value: string,
    onLost: () => void,
  ) {
    this.#timer = setInterval(() => {
      this.redis.eval(RENEW, 1, this.key, this.value, SWEEP_LOCK_TTL_MS).then(
        (renewed) => {
          if (renewed === 0) {
            clearInterval(this.#timer);
            onLost();
          }
        },
        () => {},
      );
    }, SWEEP_LOCK_TTL_MS / 3);
  }

  /** The lock for `sweepId`, or undefined when another sweep holds it. `onLost`: it expired and may be another's now. */
  static async acquire(redis: Redis, prefix: string, sweepId: string, onLost: () => void): Promise<SweepLock | undefined> {
    const value = `${sweepId} ${randomUUID()}`;
    const taken = await redis.set(lockKey(prefix), value, 'PX', SWEEP_LOCK_TTL_MS, 'NX');
    return taken === 'OK' ? new SweepLock(redis, lockKey(prefix), value, onLost) : undefined;
  }

  /** The id of the sweep running now, if any. */
  static async holder(redis: Redis, prefix: string): Promise<string | undefined> {
    return (await redis.get(lockKey(prefix)))?.split(' ')[0];
  }

  async release(): Promise<void> {
    clearInterval(this.#timer);
    await this.redis.eval(RELEASE, 1, this.key, this.value);
  }
}
