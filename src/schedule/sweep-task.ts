import { SweepBusyError, resumeSweep, startSweep } from '../jobs/sweep-session.ts';
import type { App } from '../main.ts';
import type { ScheduledTask } from './scheduler.ts';

/**
 * The scheduled sweep: first the newest interrupted scheduled sweep is resumed (its parcels were
 * due earlier), then a new sweep checks what is due now. A sweep already running (a manual one,
 * or this task in another process) makes the tick a no-op.
 */
export function sweepTask(cron: string): ScheduledTask {
  return {
    name: 'sweep',
    cron,
    onStart: (app, signal) => resumeOwn(app, signal),
    async run(app, { tick, signal }) {
      if (!(await resumeOwn(app, signal)) || signal.aborted) return;
      await whileFree(app, () => startSweep(app, { trigger: 'scheduled', tick, signal }));
    },
  };
}

/** False when another sweep is running. */
async function resumeOwn(app: App, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  return whileFree(app, () => resumeSweep(app, { trigger: 'scheduled', signal }));
}

async function whileFree(app: App, work: () => Promise<unknown>): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (error) {
    if (!(error instanceof SweepBusyError)) throw error;
    app.logger.info({ runningSweep: error.runningId }, 'a sweep is running already: nothing to do for this tick');
    return false;
  }
}
