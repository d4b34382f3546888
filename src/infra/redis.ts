import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { dataSubdir } from './data-dir.ts';
import { redactUrl } from './redact-url.ts';
import { redisDatabaseOf } from './redis-database.ts';
import './redis-disconnect.ts';

/** Deletes every key under `prefix:` (a queue prefix, a demo's run), in slices. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** Where Redis is, and how to let go of it. */
export interface RedisEndpoint {
  /** Opens a new connection, with the options BullMQ workers require. */
  connect(): Redis;
  /** Human description, without credentials. */
  describe: string;
  /** Stops the private redis-server this process started, if any. */
  stop(): Promise<void>;
}

export class RedisUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisUnavailableError';
  }
}

export interface ResolveRedisOptions {
  redisUrl?: string;
  dataDir: string;
  logger: Logger;
  /** Where a local Redis is looked for when REDIS_URL is unset. */
  probe?: { host: string; port: number };
  /** The redis-server executable; looked up on PATH. */
  serverCommand?: string;
}

// BullMQ's blocking connections must never give up on a command: it reconnects instead.
const BULLMQ_OPTIONS: RedisOptions = { maxRetriesPerRequest: null };

/**
 * REDIS_URL when set; else 127.0.0.1:6379 when it answers; else a private redis-server from
 * PATH with its socket and files under the data dir, stopped with `stop()`; else a clear error.
 */
export async function resolveRedis(options: ResolveRedisOptions): Promise<RedisEndpoint> {
  const { logger } = options;
  if (options.redisUrl) {
    const url = options.redisUrl;
    await checkRedisUrl(url);
    return { connect: () => watched(new Redis(url, BULLMQ_OPTIONS), logger), describe: redactUrl(url), stop: async () => {} };
  }
  const probe = options.probe ?? { host: '127.0.0.1', port: 6379 };
  if (await answersPing({ host: probe.host, port: probe.port })) {
    return { connect: () => watched(new Redis({ ...probe, ...BULLMQ_OPTIONS }), logger), describe: `redis://${probe.host}:${probe.port}`, stop: async () => {} };
  }
  return startPrivateRedis(options);
}

/**
 * REDIS_URL answers and takes the database it names. A wrong one would otherwise leave every
 * command waiting for ever on reconnects; a database the server refuses would only be logged by
 * ioredis, and every key would go to database 0 where another installation may keep its own.
 */
async function checkRedisUrl(url: string): Promise<void> {
  if (!(await answersPing(url, 3000))) throw new RedisUnavailableError(`Redis at ${redactUrl(url)} does not answer: check REDIS_URL, or unset it to use a local Redis`);
  const database = redisDatabaseOf(url);
  if (!database) return;
  const selected = await askOnce(url, 3000, (client) => client.select(database));
  if (selected instanceof Error) {
    throw new RedisUnavailableError(`Redis at ${redactUrl(url)} refuses database ${database} (${selected.message}): check REDIS_URL`);
  }
}

/**
 * ioredis reconnects on its own; without a listener it also prints every connection error with
 * a stack trace. Errors go to the log instead, where a running worker's operator looks.
 */
function watched(client: Redis, logger: Logger): Redis {
  client.on('error', (error: Error) => logger.warn({ err: error.message }, 'redis connection error'));
  return client;
}

/** Whether a Redis answers PING there now: one try, no reconnecting. */
export async function answersPing(target: RedisOptions | string, connectTimeout = 500): Promise<boolean> {
  return (await askOnce(target, connectTimeout, (client) => client.ping())) === 'PONG';
}

/** One command on a new connection, one try without reconnecting: the reply, or the error of the connection or the command. */
async function askOnce<T>(target: RedisOptions | string, connectTimeout: number, command: (client: Redis) => Promise<T>): Promise<T | Error> {
  const options: RedisOptions = { lazyConnect: true, connectTimeout, maxRetriesPerRequest: 0, retryStrategy: () => null };
  const client = typeof target === 'string' ? new Redis(target, options) : new Redis({ ...target, ...options });
  client.on('error', () => {});
  try {
    await client.connect();
    return await command(client);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    client.disconnect();
  }
}

async function startPrivateRedis(options: ResolveRedisOptions): Promise<RedisEndpoint> {
  const dir = await dataSubdir(options.dataDir, 'redis');
  const socket = path.join(dir, 'redis.sock');
  if (await answersPing({ path: socket })) {
    // Another parcelbot process of this data dir started it: share it, leave stopping to it.
    return { connect: () => watched(new Redis({ path: socket, ...BULLMQ_OPTIONS }), options.logger), describe: `unix:${socket}`, stop: async () => {} };
  }
  const command = options.serverCommand ?? 'redis-server';
  const args = ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--dir', dir, '--save', '', '--appendonly', 'no', '--logfile', path.join(dir, 'redis.log')];
  const child = spawn(command, args, { stdio: 'ignore' });
  const started = await waitForStart(child, socket);
  if (!started) {
    throw new RedisUnavailableError(
      'Redis is needed and none answers: set REDIS_URL, start Redis on 127.0.0.1:6379, or install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) so parcelbot can start a private one',
    );
  }
  options.logger.info({ socket }, 'started a private redis-server under the data dir');
  return {
    connect: () => watched(new Redis({ path: socket, ...BULLMQ_OPTIONS }), options.logger),
    describe: `private redis-server at unix:${socket}`,
    stop: () => stopChild(child),
  };
}

async function waitForStart(child: ChildProcess, socket: string): Promise<boolean> {
  let failed = false;
  child.once('error', () => (failed = true));
  child.once('exit', () => (failed = true));
  for (let attempt = 0; attempt < 50 && !failed; attempt++) {
    if (await answersPing({ path: socket })) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  return false;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
