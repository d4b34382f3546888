import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { perSecond } from './stats.ts';

export interface RawBullmqFigures {
  jobs: number;
  addedPerSecond: number;
  processedPerSecond: number;
}

/**
 * BullMQ's own ceiling on this machine: no-op jobs added in bulk, then worked by one worker
 * (this process) at `concurrency`. What parcelbot's sweep adds on top is measured against it.
 */
export async function measureRawBullmq(connect: () => Redis, prefix: string, jobs = 20_000, concurrency = 16): Promise<RawBullmqFigures> {
  // BullMQ closes the connections it makes, not the ones it is given: these two are quit at the end.
  const [queueConnection, workerConnection] = [connect(), connect()];
  const queue = new Queue('bench-noop', { connection: queueConnection, prefix });
  const addStart = performance.now();
  for (let start = 0; start < jobs; start += 1000) {
    const size = Math.min(1000, jobs - start);
    await queue.addBulk(Array.from({ length: size }, (_, index) => ({ name: 'noop', data: { index: start + index }, opts: { removeOnComplete: { count: 1000 } } })));
  }
  const addedMs = performance.now() - addStart;

  let completed = 0;
  let allDone: () => void = () => {};
  const finished = new Promise<void>((resolve) => (allDone = resolve));
  const workStart = performance.now();
  const worker = new Worker('bench-noop', async () => {}, { connection: workerConnection, prefix, concurrency });
  worker.on('completed', () => {
    completed += 1;
    if (completed === jobs) allDone();
  });
  await finished;
  const processedMs = performance.now() - workStart;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await Promise.all([queueConnection.quit(), workerConnection.quit()]);
  return { jobs, addedPerSecond: perSecond(jobs, addedMs), processedPerSecond: perSecond(jobs, processedMs) };
}
