import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type FixtureServer, startFixtureServer } from '../../fixtures/server.ts';
import { fixedClock } from '../infra/clock.ts';
import { deleteKeysWithPrefix } from '../infra/redis.ts';
import { type App, createApp } from '../main.ts';
import { createStore } from '../store/store.ts';
import { type TestDatabase, openTestDatabase } from '../store/test-database.ts';

export const TEST_REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

export interface TestWorld {
  app: App;
  fixtures: FixtureServer;
  db: TestDatabase;
  clock: ReturnType<typeof fixedClock>;
  /** The environment the app was made with: spawn the CLI with it to share queues and simulators. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A real app on real Redis (its own queue prefix, deleted afterwards), a throw-away store and the
 * fixture server, all reading one clock that a test can move.
 */
export async function startTestWorld(options: { now?: string; env?: Record<string, string>; simulatorsOnRealTime?: boolean; logger?: Logger } = {}): Promise<TestWorld> {
  const clock = fixedClock(options.now ?? '2026-03-10T09:00:00+01:00');
  // Quotas counted per second need time that moves: the simulators can run on the system clock.
  const fixtures = await startFixtureServer({ now: options.simulatorsOnRealTime ? undefined : () => clock.now() });
  const db = await openTestDatabase();
  const prefix = `test-${randomBytes(5).toString('hex')}`;
  const env = {
    REDIS_URL: TEST_REDIS_URL,
    PARCELBOT_QUEUE_PREFIX: prefix,
    ...fixtures.env,
    TRACK_ATTEMPTS: '3',
    TRACK_BACKOFF_MS: '20',
    LOG_LEVEL: 'silent',
    ...options.env,
  };
  const app = await createApp({ env, clock, logger: options.logger, openStore: async () => createStore(db) });
  return {
    app,
    fixtures,
    db,
    clock,
    env,
    async close() {
      await app.close();
      await fixtures.close();
      await db.drop();
      await deleteKeys(prefix);
    },
  };
}

/** Deletes every Redis key matching `pattern` (SCAN, never KEYS): a test's queue prefix, afterwards. */
/** Removes everything a test left under its queue prefix. */
export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  await deleteKeysWithPrefix(redis, prefix);
  await redis.quit();
}
