import type { App } from '../../main.ts';
import { EXIT } from '../cli-error.ts';

/**
 * Works the track queues and the follow-up queue until SIGTERM or SIGINT, then stops taking jobs
 * and lets in-flight ones finish; a job of a process killed harder goes back to the queue when
 * its lock expires (FOLLOWUP_LOCK_MS for follow-ups).
 */
export async function workerCommand(app: App, options: { concurrency?: number }): Promise<number> {
  await app.store();
  const workers = app.startWorkers(undefined, options.concurrency);
  const followUpWorker = app.startFollowUpWorker();
  const all = [...workers.workers, followUpWorker];
  await Promise.all(all.map((worker) => worker.waitUntilReady()));
  app.logger.info({ queues: all.map((worker) => worker.name), redis: app.redis.describe }, 'worker ready');
  process.stderr.write(`parcelbot worker: working ${all.map((worker) => worker.name).join(', ')} (Ctrl-C to stop)\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  app.logger.info({ signal }, 'stopping: finishing in-flight jobs');
  await Promise.all([workers.close(), followUpWorker.close()]);
  return EXIT.ok;
}
