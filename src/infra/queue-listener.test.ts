import { randomBytes } from 'node:crypto';
import { Queue, type QueueEventsOptions, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../testing/test-app.ts';
import { QueueListener } from './queue-listener.ts';

describe('QueueListener', () => {
  const observer = new Redis(TEST_REDIS_URL);
  afterAll(async () => {
    await observer.quit();
  });

  /** Whether Redis still has a connection of this id. */
  const connected = async (id: number) => String(await observer.call('CLIENT', 'LIST', 'ID', String(id))).trim() !== '';

  it('closes the connection it was given when it closes, so a finished process has nothing left open', async () => {
    const client = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const id = Number(await client.call('CLIENT', 'ID'));
    const listener = new QueueListener('listened', client, { prefix: `test-listener-${randomBytes(4).toString('hex')}` });
    await listener.waitUntilReady();
    expect(await connected(id)).toBe(true);

    await listener.close();

    // Redis drops the connection as the client's quit reaches it.
    for (let tries = 0; tries < 50 && (await connected(id)); tries++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await connected(id)).toBe(false);
    expect(client.status).toBe('end');
  });
});

describe('QueueListener.fromNewest', () => {
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = `test-listener-${randomBytes(4).toString('hex')}`;
  const queue = new Queue('listened', { connection, prefix });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await connection.quit();
  });

  /** Job ids the listener reports completed, until it has seen `count` of them. */
  const completions = (listener: QueueListener, count: number) =>
    new Promise<string[]>((resolve) => {
      const ids: string[] = [];
      listener.on('completed', ({ jobId }) => ids.push(jobId) === count && resolve(ids));
    });

  it('starts at a concrete event id, after the events already there, and hears every later one', async () => {
    const worker = new Worker('listened', async () => 'done', { connection: connection.duplicate(), prefix });
    try {
      const first = new QueueListener('listened', connection.duplicate(), { prefix });
      const before = completions(first, 2);
      await first.waitUntilReady();
      await queue.add('job', {}, { jobId: 'before-1' });
      await queue.add('job', {}, { jobId: 'before-2' });
      expect(await before).toEqual(['before-1', 'before-2']);
      await first.close();

      const listener = await QueueListener.fromNewest(queue, connection.duplicate(), prefix);
      // BullMQ's default, '$', is what a read lost in a Redis restart would start from again, skipping what happened meanwhile.
      expect((listener.opts as QueueEventsOptions).lastEventId).toMatch(/^\d+-\d+$/);
      const after = completions(listener, 1);
      await listener.waitUntilReady();
      await queue.add('job', {}, { jobId: 'after' });
      expect(await after).toEqual(['after']);
      await listener.close();
    } finally {
      await worker.close();
    }
  });
});
