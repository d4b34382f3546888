import { Queue, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateRedis, startPrivateRedis } from '../testing/private-redis.ts';
import { QueueListener } from './queue-listener.ts';
import './redis-disconnect.ts';

// Redis goes down and the clients wait between reconnect attempts (a long retry delay keeps them
// there); each is then closed as a process or a finished sweep closes it. Before the fix every
// close below waited for ever: the bound only turns that wait into a failure.

const CLOSE_BOUND_MS = 5000;
const DOWN_MS = 2500;

/** Resolves 'closed' once `close` settles, or 'still waiting' past the bound. */
const closing = (close: Promise<unknown>) =>
  Promise.race([close.then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('still waiting'), CLOSE_BOUND_MS))]);

describe('closing a Redis client while it waits to reconnect', () => {
  let redis: PrivateRedis;
  const clients: Redis[] = [];
  /** A client as BullMQ's must be, that retries only long after a failed attempt. */
  const client = (options: RedisOptions = {}) => {
    const created = new Redis(redis.url, { maxRetriesPerRequest: null, retryStrategy: () => 60_000, ...options });
    created.on('error', () => {});
    clients.push(created);
    return created;
  };
  /** Stops Redis for DOWN_MS; resolves when `waiting` is between two reconnect attempts. */
  const downUntilReconnecting = async (waiting: () => Promise<string> | string) => {
    const restart = redis.restart(DOWN_MS);
    await expect.poll(waiting, { timeout: 3000, interval: 20 }).toBe('reconnecting');
    return restart;
  };

  beforeAll(async () => {
    redis = await startPrivateRedis();
  });
  afterAll(async () => {
    for (const each of clients) each.disconnect();
    await redis?.stop();
  });

  it('ends the client and rejects the commands it held', async () => {
    const waiting = client();
    await waiting.ping();
    const restart = await downUntilReconnecting(() => waiting.status);
    const held = waiting.get('never-sent').then(
      () => 'answered',
      (error: Error) => error.message,
    );

    const ended = new Promise((resolve) => waiting.once('end', resolve));
    waiting.disconnect();

    expect(await closing(ended)).toBe('closed');
    expect(waiting.status).toBe('end');
    expect(await held).toMatch(/^Connection is closed/);
    await restart;
  });

  it('still reconnects when told to disconnect and reconnect', async () => {
    const waiting = client({ retryStrategy: () => 100 });
    await waiting.ping();
    const restart = await downUntilReconnecting(() => waiting.status);
    waiting.disconnect(true);
    await restart;
    expect(await waiting.ping()).toBe('PONG');
  });

  it('lets a queue listener close', { timeout: 20_000 }, async () => {
    const queue = new Queue('listened', { connection: client() });
    const listener = await QueueListener.fromNewest(queue, client(), 'bull');
    listener.on('error', () => {});
    await listener.waitUntilReady();
    const restart = await downUntilReconnecting(async () => (await listener.getBackend().client).status);

    expect(await closing(listener.close())).toBe('closed');
    expect((await listener.getBackend().client).status).toBe('end');
    await restart;
    await queue.close();
  });

  it('lets a worker close', { timeout: 20_000 }, async () => {
    const worker = new Worker('worked', async () => 'done', { connection: client() });
    worker.on('error', () => {});
    await worker.waitUntilReady();
    const restart = await downUntilReconnecting(async () => (await worker.getBackend().client).status);

    expect(await closing(worker.close())).toBe('closed');
    await restart;
  });
});
