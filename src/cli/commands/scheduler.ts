import type { App } from '../../main.ts';
import { startScheduler } from '../../schedule/scheduler.ts';
import { type TaskSlots, taskTable } from '../../schedule/task-table.ts';
import { EXIT } from '../cli-error.ts';

/** The work plugged into the task table's slots (src/schedule/task-table.ts). */
const SLOTS: TaskSlots = {};

/**
 * Runs the scheduled tasks until SIGTERM or SIGINT, then aborts the running ones (a sweep is
 * recorded as interrupted, and resumed by the next scheduler to start) and exits.
 */
export async function schedulerCommand(app: App): Promise<number> {
  const tasks = taskTable(app.config.core, SLOTS);
  const { SCHEDULE_TZ, SCHEDULE_GRACE } = app.config.core;
  const scheduler = await startScheduler({ app, tasks, timeZone: SCHEDULE_TZ, graceMs: SCHEDULE_GRACE });
  process.stderr.write(`parcelbot scheduler: ${tasks.map((task) => `${task.name} "${task.cron}"`).join(', ') || 'no task'} (${SCHEDULE_TZ}; Ctrl-C to stop)\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  app.logger.info({ signal }, 'stopping the scheduler');
  await scheduler.stop();
  return EXIT.ok;
}
