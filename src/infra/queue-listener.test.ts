import { randomBytes } from 'node:crypto';
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
