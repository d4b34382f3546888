import type { App } from '../../main.ts';
import { startScheduler } from '../../schedule/scheduler.ts';
import { taskTable } from '../../schedule/task-table.ts';
import { EXIT } from '../cli-error.ts';
import { stopSignal } from '../stop-signal.ts';

/**
 * Runs the scheduled tasks until SIGTERM or SIGINT, then aborts the running ones (a sweep is
 * recorded as interrupted, and resumed by the next scheduler to start) and exits. With `work`,
 * it also works the track queues, as `parcelbot worker` does: on the embedded store, which one
 * process holds, that process does everything.
 */
export async function schedulerCommand(app: App, options: { work?: boolean }): Promise<number> {
  const tasks = taskTable(app.config.core);
  const { SCHEDULE_TZ, SCHEDULE_GRACE } = app.config.core;
  // The embedded store is taken first: a worker's first job must not find it held by another process.
  if (options.work) await app.store();
  // Its sweeps and syncs are background work; with --work it also answers agents, at their priority.
  else app.runAsBackground();
  const workers = options.work ? app.startWorkers() : undefined;
  const scheduler = await startScheduler({ app, tasks, timeZone: SCHEDULE_TZ, graceMs: SCHEDULE_GRACE });
  const stopping = stopSignal();
  const scheduled = tasks.map((task) => `${task.name} "${task.cron}"`).join(', ') || 'no task';
  process.stderr.write(`parcelbot scheduler: ${scheduled} (${SCHEDULE_TZ})${workers ? ', working the track queues' : ''}; Ctrl-C to stop\n`);
  const signal = await stopping;
  app.logger.info({ signal }, 'stopping the scheduler');
  await scheduler.stop();
  await workers?.close();
  return EXIT.ok;
}
