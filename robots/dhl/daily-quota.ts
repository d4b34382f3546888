import { type HttpRequest, type HttpResponse, RobotError, httpEvidence, msToNextGmtDay } from '../../src/robot-kit/index.ts';

/** The wait the shared reading gives a 429 without Retry-After: long enough for DHL's per-second limit to pass. */
const PER_SECOND_WAIT_MS = 1000;

/** A 429 this long after the first of a run starts a new run: the retry of a first 429 comes within seconds. */
const RUN_FORGOTTEN_AFTER_MS = 60_000;

/**
 * Tells DHL's daily quota from its per-second limit. Both answer HTTP 429 with no documented body
 * and no Retry-After (carrier-apis.md 3.6, 3.7), so the robot reads the run of 429s instead:
 * - the first waits a second (the shared reading of a 429 without Retry-After);
 * - 429s less than a second after the first are calls of the same burst: a second too;
 * - a 429 again once that second has passed, with no other answer in between, cannot be the
 *   per-second limit: the daily quota is spent, and DHL answers nothing "until the next day",
 *   which starts at 00:00 GMT. Waiting a second would only call DHL every second until then.
 * A 429 with Retry-After is DHL's own word: left to the shared reading. The run is kept per robot
 * instance, that is per process: another process finds out on its own, with one more 429.
 */
export class DailyQuotaWatch {
  #runStartedMs: number | undefined;

  /** Throws CARRIER_RATE_LIMITED until 00:00 GMT when this answer shows the daily quota spent; else returns. */
  check(request: HttpRequest, response: HttpResponse, nowMs: number): void {
    if (response.status !== 429) {
      // DHL answered something else: the quota let that call through.
      this.#runStartedMs = undefined;
      return;
    }
    if (response.headers['retry-after'] !== undefined) return;
    const started = this.#runStartedMs;
    if (started === undefined || nowMs - started > RUN_FORGOTTEN_AFTER_MS) {
      this.#runStartedMs = nowMs;
      return;
    }
    if (nowMs - started < PER_SECOND_WAIT_MS) return;
    throw new RobotError(
      'CARRIER_RATE_LIMITED',
      'DHL daily quota spent (HTTP 429 again after waiting a second): no call until 00:00 GMT; for a higher quota, ask DHL at developer.dhl.com',
      { evidence: httpEvidence(request, response), retryAfterMs: msToNextGmtDay(nowMs) },
    );
  }
}
