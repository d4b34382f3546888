import type { SweepLeftWaiting } from '../domain/sweep.ts';

/**
 * How often a sweep waiting for its jobs reads its carriers' rate-limit holds. A hold lasts from
 * seconds to hours: a read every few seconds costs Redis nothing and ends the sweep soon enough.
 */
export const HELD_QUEUE_POLL_MS = 3000;

export interface HeldQueueWatchOptions {
  /** Parcels of the jobs the sweep still waits for, by carrier. */
  waiting(): ReadonlyMap<string, number>;
  /** How long from now the carrier's queue hands out no job because of a rate limit, in ms (0: not held). */
  holdMs(carrier: string): Promise<number>;
  /** Holds up to this long are waited for (SWEEP_MAX_RATE_LIMIT_WAIT); 0: none is. */
  maxWaitMs: number;
  now(): Date;
}

/**
 * Watches, while a sweep waits for its jobs, for the moment when every job it still waits for
 * is in a queue held by a rate limit longer than `maxWaitMs` (a carrier's daily quota spent holds
 * its queue until 00:00 GMT). `leftWaiting` then resolves with those carriers, their parcels and
 * the end of each hold; it never resolves otherwise. `stop()` ends the reads.
 */
export function watchHeldQueues(options: HeldQueueWatchOptions): { leftWaiting: Promise<SweepLeftWaiting[]>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const leftWaiting = new Promise<SweepLeftWaiting[]>((resolve) => {
    const poll = async () => {
      // A failed read (Redis restarting) is tried again at the next poll.
      const held = await heldPastMaxWait(options).catch(() => undefined);
      if (stopped) return;
      if (held) return resolve(held);
      timer = setTimeout(poll, HELD_QUEUE_POLL_MS);
    };
    timer = setTimeout(poll, HELD_QUEUE_POLL_MS);
  });
  return {
    leftWaiting,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** The carriers still waited for when every one of them is held longer than `maxWaitMs`; else undefined. */
async function heldPastMaxWait({ waiting, holdMs, maxWaitMs, now }: HeldQueueWatchOptions): Promise<SweepLeftWaiting[] | undefined> {
  const carriers = [...waiting().keys()];
  if (carriers.length === 0) return undefined;
  const holds = await Promise.all(carriers.map(async (carrier) => ({ carrier, ms: await holdMs(carrier) })));
  if (holds.some(({ ms }) => ms <= maxWaitMs)) return undefined;
  const at = now().getTime();
  // Read again after the holds: a job that finished meanwhile is not left waiting.
  const parcels = waiting();
  const left = holds.flatMap(({ carrier, ms }) => {
    const count = parcels.get(carrier) ?? 0;
    return count > 0 ? [{ carrier, parcels: count, until: new Date(at + ms).toISOString() }] : [];
  });
  return left.length > 0 ? left : undefined;
}
