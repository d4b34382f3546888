import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../testing/test-app.ts';
import { RedisUnavailableError, resolveRedis } from './redis.ts';

const logger = pino({ level: 'silent' });
// A port nothing listens on, so the 127.0.0.1:6379 probe is made to miss.
const nowhere = { host: '127.0.0.1', port: 1 };

describe('resolveRedis', () => {
  let dataDir: string;
  afterEach(async () => rm(dataDir, { recursive: true, force: true }));

  it('uses REDIS_URL when set and answering', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pb-redis-'));
    const endpoint = await resolveRedis({ redisUrl: TEST_REDIS_URL, dataDir, logger });
    expect(endpoint.describe).toBe(TEST_REDIS_URL);
    const client = endpoint.connect();
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  });

  it('refuses a REDIS_URL that does not answer, at once and in one line', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pb-redis-'));
    await expect(resolveRedis({ redisUrl: 'redis://user:secret@127.0.0.1:1', dataDir, logger })).rejects.toThrow(
      /^Redis at redis:\/\/\*\*\*@127.0.0.1:1 does not answer: check REDIS_URL/,
    );
  });

  it('starts a private redis-server under the data dir when none answers, and stops it', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pb-redis-'));
    const endpoint = await resolveRedis({ dataDir, logger, probe: nowhere });
    expect(endpoint.describe).toContain(path.join(dataDir, 'redis', 'redis.sock'));
    const client = endpoint.connect();
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
    await endpoint.stop();
    const after = endpoint.connect();
    after.on('error', () => {});
    await expect(Promise.race([after.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer')), 500))])).rejects.toThrow();
    after.disconnect();
  });

  it('says how to install Redis when there is none to use or start', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pb-redis-'));
    const attempt = resolveRedis({ dataDir, logger, probe: nowhere, serverCommand: 'no-such-redis-server' });
    await expect(attempt).rejects.toThrow(RedisUnavailableError);
    await expect(resolveRedis({ dataDir, logger, probe: nowhere, serverCommand: 'no-such-redis-server' })).rejects.toThrow(/apt-get install redis-server/);
  });
});
