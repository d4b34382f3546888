import type { SweepRecord } from '../domain/sweep.ts';
import { SweepBusyError, type SweepApp, startSweep } from '../jobs/sweep-session.ts';
import { HttpProblem } from './problem.ts';

/**
 * Sweeps started over the API (`POST /api/sweeps`). A sweep runs in this process, in the
 * background: the request is answered as soon as the sweep is recorded and holds the sweep lock,
 * not when it ends. While another sweep runs (the scheduler's, a `parcelbot sweep`, an earlier
 * API call) none starts: 409 naming it. Stopping the server interrupts the sweeps it started;
 * they are recorded as interrupted and `parcelbot sweep --resume` carries on.
 */
export class BackgroundSweeps {
  private readonly stopping = new AbortController();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly app: SweepApp) {}

  /** Starts a sweep of every shipment due now; resolves with its record once it is under way. */
  start(requestedBy: string): Promise<SweepRecord> {
    const { logger } = this.app;
    return new Promise((resolve, reject) => {
      const run = startSweep(this.app, {
        trigger: 'api',
        signal: this.stopping.signal,
        onStart: (record) => {
          logger.info({ sweepId: record.id, requestedBy }, 'sweep started over the API');
          resolve(record);
        },
      }).then(
        () => undefined,
        (error: unknown) => {
          if (error instanceof SweepBusyError) return reject(busy(error));
          // Before the sweep was recorded the caller hears of it; after, only the log does.
          reject(error);
          logger.error({ err: error }, 'sweep started over the API failed');
        },
      );
      const tracked = run.finally(() => this.running.delete(tracked));
      this.running.add(tracked);
    });
  }

  /** Interrupts the sweeps started here and waits until each has recorded where it stopped. */
  async close(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.running]);
  }
}

function busy(error: SweepBusyError): HttpProblem {
  const which = error.runningId ? `sweep ${error.runningId} is running` : 'a sweep is starting';
  const follow = error.runningId ? `: follow it at GET /api/sweeps/${error.runningId}` : '';
  return new HttpProblem(409, 'sweep-running', `${which}; one sweep runs at a time${follow}`, { extensions: { runningSweepId: error.runningId ?? null } });
}
