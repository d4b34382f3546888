import { type Queue, QueueEvents, type QueueEventsOptions } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * A BullMQ QueueEvents on a Redis connection of its own, closed with it. BullMQ listens on a
 * copy of the client it is given and leaves that client open, as the caller's: each listener
 * used to leave one idle connection behind, which kept a finished process from exiting and
 * piled up in a scheduler running a sweep a night.
 */
export class QueueListener extends QueueEvents {
  constructor(
    name: string,
    private readonly client: Redis,
    options: Omit<QueueEventsOptions, 'connection'>,
  ) {
    super(name, { ...options, connection: client });
  }

  /**
   * Listens to `queue` from its newest event on (from the start of its stream when it has none).
   * Not from '$', BullMQ's default: after a Redis restart BullMQ drops a read left hanging and reads
   * again from the last id it received; a listener that had received none read from '$' again and
   * never heard of the jobs finished in between (an agent's look-up then waited until its time-out).
   */
  static async fromNewest(queue: Queue, client: Redis, prefix: string): Promise<QueueListener> {
    try {
      return new QueueListener(queue.name, client, { prefix, lastEventId: await newestEventId(client, queue) });
    } catch (error) {
      client.disconnect();
      throw error;
    }
  }

  override async close(): Promise<void> {
    await super.close();
    this.client.disconnect();
  }
}

/** The id of the queue's newest event ('0-0' when it has none): listen from there to hear every later one. */
export async function newestEventId(redis: Redis, queue: Queue): Promise<string> {
  const [newest] = await redis.xrevrange(queue.keys.events ?? '', '+', '-', 'COUNT', 1);
  return newest?.[0] ?? '0-0';
}

/** A listener opened on first use and shared by every caller; one that could not open is opened again by the next. */
export class SharedListener {
  private opening?: Promise<QueueListener>;

  constructor(private readonly open: () => Promise<QueueListener>) {}

  async get(): Promise<QueueListener> {
    if (!this.opening) {
      const attempt = this.open();
      this.opening = attempt;
      attempt.catch(() => {
        if (this.opening === attempt) this.opening = undefined;
      });
    }
    const events = await this.opening;
    await events.waitUntilReady();
    return events;
  }

  async close(): Promise<void> {
    await (await this.opening?.catch(() => undefined))?.close();
  }
}
