import { SweepBusyError, resumeSweep, startSweep } from '../jobs/sweep-session.ts';
import type { App } from '../main.ts';
import type { ScheduledTask } from './scheduler.ts';

/**
 * The scheduled sweep: first the newest interrupted scheduled sweep is resumed (its parcels were
 * due earlier), then a new sweep checks what is due now. A sweep already running (a manual one,
 * or this task in another process) makes the tick a no-op. Between ticks, every catch-up pass
 * resumes an interrupted scheduled sweep too: one a killed scheduler left holding the sweep lock
 * is taken up within a minute of the lock lapsing, not at the next tick (the next night).
 */
export function sweepTask(cron: string): ScheduledTask {
  return {
    name: 'sweep',
    cron,
    resumeLeftWork: (app, signal) => resumeOwn(app, signal, 'debug'),
    async run(app, { tick, signal }) {
      if (!(await resumeOwn(app, signal)) || signal.aborted) return;
      await whileFree(app, () => startSweep(app, { trigger: 'scheduled', tick, signal }));
    },
  };
}

/** False when another sweep is running. */
async function resumeOwn(app: App, signal: AbortSignal, busyLevel: BusyLevel = 'info'): Promise<boolean> {
  if (signal.aborted) return false;
  return whileFree(app, () => resumeSweep(app, { trigger: 'scheduled', signal }), busyLevel);
}

/** How loud "a sweep is running already" is: said once per tick, but only for debugging at every catch-up pass. */
type BusyLevel = 'info' | 'debug';

async function whileFree(app: App, work: () => Promise<unknown>, busyLevel: BusyLevel = 'info'): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (error) {
    if (!(error instanceof SweepBusyError)) throw error;
    app.logger[busyLevel]({ runningSweep: error.runningId }, 'a sweep is running already: nothing to do for now');
    return false;
  }
}
