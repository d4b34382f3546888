import type { Redis } from 'ioredis';

/** What the producer side of every parcelbot queue (track queues, follow-ups) is made with. */
export interface QueueOptions {
  connection: Redis;
  /** Opens a dedicated connection: QueueEvents blocks on its own. */
  connect: () => Redis;
  prefix: string;
  attempts: number;
  backoffMs: number;
  /**
   * Connection errors of the queues and their listeners (Redis down, restarting): they reconnect
   * on their own. Without a listener BullMQ prints each error with its stack on stderr.
   */
  onError?: (error: Error) => void;
}
