import { setTimeout } from 'node:timers/promises';
import type { Clock } from '../infra/clock.ts';
import type { RateLimit } from '../robot-kit/define-robot.ts';

/** How a sync waits: real time in production, cut short when `signal` aborts; tests move their clock instead. */
export type Wait = (ms: number, signal?: AbortSignal) => Promise<void>;

export const sleep: Wait = (ms, signal) => setTimeout(ms, undefined, { signal });

/**
 * Spaces a run's calls to the marketplace's rate: at most `max` calls in any `durationMs`
 * (MIRAKL_RATE_LIMIT...). One run per source holds the lease at a time, so counting the calls of
 * the run is counting the source's.
 */
export class Pacer {
  readonly #calls: number[] = [];

  constructor(
    private readonly rate: RateLimit | undefined,
    private readonly clock: Clock,
    private readonly wait: Wait,
  ) {}

  /** Waits until one more call fits the rate, then counts it; returns how long it waited. */
  async next(): Promise<number> {
    const rate = this.rate;
    if (!rate) return 0;
    let waited = 0;
    for (;;) {
      const now = this.clock.now().getTime();
      while (this.#calls.length > 0 && this.#calls[0]! <= now - rate.durationMs) this.#calls.shift();
      if (this.#calls.length < rate.max) {
        this.#calls.push(now);
        return waited;
      }
      const ms = this.#calls[0]! + rate.durationMs - now;
      waited += ms;
      await this.wait(ms);
    }
  }
}
