/**
 * One worker process of robots/ups/token-race.test.ts: builds the UPS robot on the real HTTP
 * client and the real Redis token cache, says "ready", waits for "go" on stdin so that every
 * worker starts at once, tracks its numbers concurrently and prints the outcomes as one JSON line.
 *
 * Environment: UPS_API_URL, UPS_CLIENT_ID, UPS_CLIENT_SECRET, REDIS_URL, TOKEN_CACHE_PREFIX,
 * NUMBERS (comma-separated).
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { systemClock } from '../../src/infra/clock.ts';
import { createHttpClient } from '../../src/infra/http-client.ts';
import { createRedisTokenCache } from '../../src/infra/redis-token-cache.ts';
import { testRobotContext } from '../../fixtures/testing/robot-context.ts';
import ups from './index.ts';

const { REDIS_URL = 'redis://127.0.0.1:6379', TOKEN_CACHE_PREFIX, NUMBERS = '' } = process.env;
if (!TOKEN_CACHE_PREFIX) throw new Error('TOKEN_CACHE_PREFIX is not set');

const redis = new Redis(REDIS_URL);
const http = createHttpClient();
const robot = ups.create(testRobotContext({ http, tokens: createRedisTokenCache(redis, TOKEN_CACHE_PREFIX), clock: systemClock }), ups.config.parse(process.env));

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
const [line] = (await once(lines, 'line')) as [string];
if (line !== 'go') throw new Error(`expected "go", got "${line}"`);

try {
  const outcomes = await Promise.all(NUMBERS.split(',').map(async (number) => (await robot.track([number]))[0]));
  process.stdout.write(`${JSON.stringify(outcomes.map((outcome) => ({ trackingNumber: outcome?.trackingNumber, kind: outcome?.kind })))}\n`);
} finally {
  lines.close();
  await http.close();
  await redis.quit();
}
