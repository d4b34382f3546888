import type { SweepLeftWaiting } from '../domain/sweep.ts';

/**
 * How often a sweep waiting for its jobs reads its carriers' rate-limit holds. A hold lasts from
 * seconds to hours: a read every few seconds costs Redis nothing and ends the sweep soon enough.
 */
export const HELD_QUEUE_POLL_MS = 3000;

/** A carrier whose queue is held past the sweep's wait, and when the hold lifts (ISO 8601). */
export type HeldCarrier = Omit<SweepLeftWaiting, 'parcels'>;

export interface HeldQueueWatchOptions {
  /** Carriers of the jobs the sweep still waits for. */
  waiting(): ReadonlySet<string>;
  /** How long from now the carrier's queue hands out no job because of a rate limit, in ms (0: not held). */
  holdMs(carrier: string): Promise<number>;
  /** Holds up to this long are waited for (SWEEP_MAX_RATE_LIMIT_WAIT); 0: none is. */
  maxWaitMs: number;
  now(): Date;
}

/**
 * Watches, while a sweep waits for its jobs, for the moment when every job it still waits for
 * is in a queue held by a rate limit longer than `maxWaitMs` (a carrier's daily quota spent holds
 * its queue until 00:00 GMT). `held` then resolves with those carriers and the end of each hold
 * (which of their parcels are left is the tally's to say); it never resolves otherwise. `stop()`
 * ends the reads.
 */
export function watchHeldQueues(options: HeldQueueWatchOptions): { held: Promise<HeldCarrier[]>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const held = new Promise<HeldCarrier[]>((resolve) => {
    const poll = async () => {
      // A failed read (Redis restarting) is tried again at the next poll.
      const carriers = await heldPastMaxWait(options).catch(() => undefined);
      if (stopped) return;
      if (carriers) return resolve(carriers);
      timer = setTimeout(poll, HELD_QUEUE_POLL_MS);
    };
    timer = setTimeout(poll, HELD_QUEUE_POLL_MS);
  });
  return {
    held,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** The carriers still waited for when every one of them is held longer than `maxWaitMs`; else undefined. */
async function heldPastMaxWait({ waiting, holdMs, maxWaitMs, now }: HeldQueueWatchOptions): Promise<HeldCarrier[] | undefined> {
  const carriers = [...waiting()];
  if (carriers.length === 0) return undefined;
  const holds = await Promise.all(carriers.map(async (carrier) => ({ carrier, ms: await holdMs(carrier) })));
  if (holds.some(({ ms }) => ms <= maxWaitMs)) return undefined;
  const at = now().getTime();
  // Read again after the holds: a carrier whose last job finished meanwhile is not left waiting.
  const stillWaiting = waiting();
  const held = holds.filter(({ carrier }) => stillWaiting.has(carrier)).map(({ carrier, ms }) => ({ carrier, until: new Date(at + ms).toISOString() }));
  return held.length > 0 ? held : undefined;
}
