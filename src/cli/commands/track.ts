import { userInfo } from 'node:os';
import { formatLocalDateTime } from '../../domain/local-time.ts';
import { lookupsHeldUntil } from '../../jobs/lookup-hold.ts';
import type { App } from '../../main.ts';
import { checkTrackingNumberShape, normalizeTrackingNumber } from '../../domain/tracking-number.ts';
import type { TrackResult } from '../../jobs/track-job.ts';
import { EXIT, InputError } from '../cli-error.ts';
import { chooseCarrier } from '../choose-carrier.ts';
import { formatAnswer } from '../format-answer.ts';

export interface TrackOptions {
  carrier?: string;
  json?: boolean;
  wait: number;
  /** Ask the carrier even when the store's answer is fresh. */
  refresh?: boolean;
}

/**
 * An agent's "find my parcel": one job on the carrier's look-up queue, answered by a running worker, or
 * by this process when none is online. The job answers from the store when the parcel was
 * checked less than FRESH_FOR ago, unless `refresh`. Returns the exit code.
 */
export async function trackCommand(app: App, rawNumber: string, options: TrackOptions): Promise<number> {
  const trackingNumber = normalizeTrackingNumber(rawNumber);
  const problem = checkTrackingNumberShape(trackingNumber);
  if (problem) throw new InputError(`tracking number: ${problem}`);
  const carrier = chooseCarrier(app.registry, trackingNumber, options.carrier);

  const events = await app.queues.queueEvents(carrier, 'agents');
  const job = await app.queues.addAgentLookup(carrier, trackingNumber, `cli:${userInfo().username}`, { refresh: options.refresh });
  const localWorkers = (await app.queues.workersOnline(carrier, 'agents')) === 0 ? app.startWorkers([carrier], 1, ['agents']) : undefined;
  try {
    const { results } = await job.waitUntilFinished(events, options.wait * 1000).catch(async (error: Error) => {
      if (!/timed out/i.test(error.message)) throw error;
      const heldUntil = await lookupsHeldUntil(app.queues, app.jobSizes, carrier, app.clock.now());
      const why = heldUntil ? `: ${carrier} asked to wait (rate limit) until ${formatLocalDateTime(heldUntil.toISOString())}` : '';
      throw new Error(`no answer within ${options.wait} s${why}: the look-up stays queued as job ${job.id}`);
    });
    const result = results[0];
    if (!result) throw new Error('the track job returned no result');
    print(result, options.json ?? false);
    return exitCodeOf(result);
  } finally {
    await localWorkers?.close();
  }
}

function exitCodeOf(result: TrackResult): number {
  if (result.outcome === 'found') return EXIT.ok;
  if (result.outcome === 'not_found') return EXIT.unknownToCarrier;
  if (result.outcome === 'failed') return EXIT.failure;
  return EXIT.badInput;
}

function print(result: TrackResult, json: boolean): void {
  if (json) {
    const body = result.answer ?? { trackingNumber: result.trackingNumber, carrier: result.carrier, message: result.message };
    process.stdout.write(`${JSON.stringify({ outcome: result.outcome, ...body })}\n`);
  } else if (result.answer) {
    process.stdout.write(`${formatAnswer(result.answer)}\n`);
  }
  if (result.outcome === 'not_found') process.stderr.write(`parcelbot: ${result.trackingNumber}: unknown to ${result.carrier}: ${result.message ?? 'not found'}\n`);
  if (result.outcome === 'rejected') process.stderr.write(`parcelbot: ${result.trackingNumber}: refused by ${result.carrier}: ${result.message ?? 'invalid'}\n`);
  if (result.outcome === 'failed') process.stderr.write(`parcelbot: ${result.trackingNumber}: ${result.errorCode}: ${result.message} (an exception is open for it)\n`);
}
