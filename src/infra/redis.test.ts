import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../config.ts';
import { TEST_REDIS_URL } from '../testing/test-app.ts';
import { redactUrl } from './redact-url.ts';
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

  it('refuses a database the server does not have, rather than letting every key go to database 0', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pb-redis-'));
    const url = new URL(TEST_REDIS_URL);
    url.pathname = '/99';
    const error = await resolveRedis({ redisUrl: url.href, dataDir, logger }).catch((thrown: Error) => thrown);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect((error as Error).message).toBe(`Redis at ${redactUrl(url.href)} refuses database 99 (ERR DB index is out of range): check REDIS_URL`);
  });

  it('names a data dir that cannot hold a private redis-server as a bad setting', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pb-redis-'));
    const file = path.join(dataDir, 'a-file');
    await writeFile(file, '');
    const error = await resolveRedis({ dataDir: file, logger, probe: nowhere }).catch((thrown: Error) => thrown);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(`PARCELBOT_DATA_DIR: ${file} is not a directory (a file stands at that path or above it): point it at a directory this user can create or write`);
  });

  // Passwords that end a naive user-info match early: each piece of them must stay hidden.
  const passwords = ['s3cret@PWx9', 'Zm9v/YmFy', 'k3y:v4l@ue/zz'];
  const piecesOf = (password: string) => password.split(/[@/:]/).filter((piece) => piece.length >= 2);

  it.each(passwords)('never shows a password holding @, / or : (%s) in the message of a REDIS_URL that does not answer', async (password) => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pb-redis-'));
    // As written, and percent-encoded; a URL that does not parse is refused by the settings first (config.ts).
    for (const written of [password, encodeURIComponent(password)].filter((form) => URL.canParse(`redis://user:${form}@127.0.0.1:1`))) {
      const error = await resolveRedis({ redisUrl: `redis://user:${written}@127.0.0.1:1`, dataDir, logger }).catch((thrown: Error) => thrown);
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect((error as Error).message).toMatch(/^Redis at redis:\/\/\*\*\*@127.0.0.1:1 does not answer/);
      for (const piece of [written, ...piecesOf(password)]) expect((error as Error).message).not.toContain(piece);
    }
  });

  // The worker's and the server's start log lines show `describe`.
  it.skipIf(new URL(TEST_REDIS_URL).password !== '')('never shows the password in the description logged at start', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pb-redis-'));
    for (const password of passwords) {
      const url = new URL(TEST_REDIS_URL);
      // Redis's default user without a password takes any: the URL answers.
      url.username = 'default';
      url.password = encodeURIComponent(password);
      const endpoint = await resolveRedis({ redisUrl: url.href, dataDir, logger });
      expect(endpoint.describe).toBe(`redis://***@${url.host}${url.pathname === '/' ? '' : url.pathname}`);
      for (const piece of [url.password, ...piecesOf(password)]) expect(endpoint.describe).not.toContain(piece);
    }
  });

  it.each([
    ['redis://user:s3cret@PW@127.0.0.1:1', 'redis://***@127.0.0.1:1'],
    ['redis://:Zm9v/YmFy@127.0.0.1:6379', 'redis://***@127.0.0.1:6379'],
    ['rediss://u:1/2@host:6380/0', 'rediss://***@host:6380/0'],
    ['redis://127.0.0.1:6379/2', 'redis://127.0.0.1:6379/2'],
    ['not a url: a:b@c@host', '***@host'],
  ])('redacts %s as %s', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
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
