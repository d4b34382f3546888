import { Redis } from 'ioredis';
// ioredis exports no way to end a client between reconnects; its close handler is what its own
// disconnect() calls for a client that never connected.
import { closeHandler } from 'ioredis/built/redis/event_handler.js';

/**
 * ioredis 6 never ends a client told to disconnect while it waits between two reconnect attempts
 * (status `reconnecting`): `disconnect()` clears the retry timer and ends a socket that is already
 * gone, so no 'close' follows, the client never reaches `end` and the commands it holds never
 * settle. BullMQ closes its connections that way and waits for `end`: a QueueEvents, Worker or
 * Queue closed in the second or two after a Redis restart, before its connection was back, hung
 * for ever (a sweep that had counted every job never returned and kept its lock). Reported
 * upstream (redis/ioredis#2169, taskforcesh/bullmq#4585), not fixed in the versions used here.
 *
 * Such a client is ended as ioredis ends one that never connected (status `wait`): through its
 * own close handler, which sets `end` and rejects the commands it held with "Connection is
 * closed", an error BullMQ expects on close.
 */
const disconnect = Redis.prototype.disconnect;

Redis.prototype.disconnect = function disconnectEvenWhileReconnecting(this: Redis, reconnect = false): void {
  const betweenAttempts = !reconnect && this.status === 'reconnecting';
  disconnect.call(this, reconnect);
  if (betweenAttempts && this.status === 'reconnecting') closeHandler(this)();
};
