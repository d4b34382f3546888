import type { App } from '../../main.ts';
import { EXIT } from '../cli-error.ts';
import { stopSignal } from '../stop-signal.ts';

/** `--lane`: one of the two lanes of track queues (src/jobs/track-job.ts), or both. */
export type WorkerLane = 'agents' | 'background' | 'all';

/**
 * Works the track queues and the follow-up queue until SIGTERM or SIGINT, then stops taking jobs
 * and lets in-flight ones finish; a job of a process killed harder goes back to the queue when
 * its lock expires (FOLLOWUP_LOCK_MS for follow-ups). Follow-ups are background work.
 */
export async function workerCommand(app: App, options: { concurrency?: number; lane?: WorkerLane }): Promise<number> {
  const lane = options.lane ?? 'all';
  // Before the store opens: a background worker opens fewer PostgreSQL connections.
  if (lane === 'background') app.runAsBackground();
  await app.store();
  const workers = app.startWorkers(undefined, options.concurrency, lane === 'all' ? undefined : [lane]);
  const followUpWorker = lane === 'agents' ? undefined : app.startFollowUpWorker();
  const all = followUpWorker ? [...workers.workers, followUpWorker] : workers.workers;
  await Promise.all(all.map((worker) => worker.waitUntilReady()));
  const stopping = stopSignal();
  app.logger.info({ lane, queues: all.map((worker) => worker.name), redis: app.redis.describe }, 'worker ready');
  process.stderr.write(`parcelbot worker: working ${all.map((worker) => worker.name).join(', ')} (Ctrl-C to stop)\n`);
  const signal = await stopping;
  app.logger.info({ signal }, 'stopping: finishing in-flight jobs');
  await Promise.all([workers.close(), followUpWorker?.close()]);
  return EXIT.ok;
}
