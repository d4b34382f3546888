import { QueueEvents, type QueueEventsOptions } from 'bullmq';
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

  override async close(): Promise<void> {
    await super.close();
    this.client.disconnect();
    
  }
}
