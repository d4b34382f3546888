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
      const [newest] = await client.xrevrange(queue.keys.events ?? '', '+', '-', 'COUNT', 1);
      return new QueueListener(queue.name, client, { prefix, lastEventId: newest?.[0] ?? '0-0' });
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
