import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOLLOW_UP_QUEUE, FollowUpQueue } from '../followups/follow-up-queue.ts';
import { type PrivateRedis, startPrivateRedis } from '../testing/private-redis.ts';
import { TrackQueues } from './track-queues.ts';
import { type TrackJobResult, trackQueueName } from './track-job.ts';

// Redis memory over a long run: jobs go through the real track and follow-up queues (their own
// producers, so their own removeOnComplete), worked by workers that answer at once, on a private
// redis-server whose INFO memory no other test moves. Past the retention (10,000 completed jobs
// per queue, BullMQ trimming each event stream near 10,000 entries), memory stops growing.

const KEPT = 10_000;
const MORE = 5000;

/** What a sweep batch of 10 numbers returns, as Redis keeps it. */
const BATCH_RESULT: TrackJobResult = {
  results: Array.from({ length: 10 }, (_, index) => ({ trackingNumber: `6A${String(index).padStart(11, '0')}`, carrier: 'laposte', outcome: 'found', status: 'in_transit' })),
};

describe('Redis memory over a long run', () => {
  let redis: PrivateRedis;
  let connection: Redis;
  const connect = () => new Redis(redis.url, { maxRetriesPerRequest: null });
  beforeAll(async () => {
    redis = await startPrivateRedis();
    connection = connect();
  });
  afterAll(async () => {
    await connection?.quit();
    await redis?.stop();
  });

  /** Runs `count` jobs through a queue: added by `add`, completed with `result`. */
  async function through(queueName: string, count: number, add: (from: number, count: number) => Promise<unknown>, result: unknown): Promise<void> {
    let completed = 0;
    let allDone: () => void = () => {};
    const done = new Promise<void>((resolve) => (allDone = resolve));
    // BullMQ closes the connections it makes, not one it is given: this one is quit below.
    const workerConnection = connect();
    const worker = new Worker(queueName, async () => result, { connection: workerConnection, prefix: 'retention', concurrency: 100 });
    worker.on('completed', () => {
      completed += 1;
      if (completed === count) allDone();
    });
    for (let from = 0; from < count; from += 1000) await add(from, Math.min(1000, count - from));
    await done;
    await worker.close();
    await workerConnection.quit();
  }

  it('stays flat once the queues keep all they keep: completed jobs and events are trimmed', { timeout: 300_000 }, async () => {
    const tracks = new TrackQueues({ connection, connect, prefix: 'retention', attempts: 5, backoffMs: 1000 });
    const followUps = new FollowUpQueue({ connection, connect, prefix: 'retention', attempts: 5, backoffMs: 1000 });
    let batch = 0;
    const sweepJobs = (_from: number, count: number) =>
      tracks.addSweepBatches('long-run', Array.from({ length: count }, () => ({ carrier: 'laposte', trackingNumbers: BATCH_RESULT.results.map((entry) => entry.trackingNumber) })), (batch += count) - count);
    let followUp = 0;
    const followUpJobs = async (_from: number, count: number) => {
      for (let index = 0; index < count; index++) await followUps.add(`fu-${followUp++}-manager-case-0000000000000000`, 0);
    };
    const run = async (count: number) => {
      await through(trackQueueName('laposte', 'background'), count, sweepJobs, BATCH_RESULT);
      await through(FOLLOW_UP_QUEUE, count, followUpJobs, { state: 'done', summary: 'Opened a manager case' });
    };
    const before = await redis.usedMemory();
    await run(KEPT);
    const atRetention = await redis.usedMemory();
    await run(MORE);
    const after = await redis.usedMemory();

    expect(await tracks.queue('laposte', 'background').getCompletedCount()).toBe(KEPT);
    expect(await followUps.queue.getCompletedCount()).toBe(KEPT);
    for (const key of [tracks.queue('laposte', 'background').keys.events, followUps.queue.keys.events]) expect(await connection.xlen(key ?? '')).toBeLessThan(KEPT * 1.1);
    // 5,000 more jobs per queue, past the retention, add less than a tenth of what the first 10,000 took.
    const growth = { first: atRetention - before, more: after - atRetention };
    process.stderr.write(`Redis used_memory: ${mib(before)} MiB empty, ${mib(atRetention)} MiB after ${KEPT} jobs per queue, ${mib(after)} MiB after ${KEPT + MORE}\n`);
    expect(growth.more).toBeLessThan(growth.first / 10);
    await tracks.close();
    await followUps.close();
  });
});

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
