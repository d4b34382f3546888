import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { buildLookupAnswer } from '../domain/lookup-answer.ts';
import type { Clock } from '../infra/clock.ts';
import type { Robot, TrackOutcome } from '../robot-kit/define-robot.ts';
import type { RobotError } from '../robot-kit/robot-error.ts';
import type { Store } from '../store/store.ts';
import { type TrackJobData, type TrackJobResult, type TrackResult, trackJobSchema } from './track-job.ts';

export interface TrackProcessorDeps {
  robot(carrier: string): Robot;
  store(): Promise<Store>;
  clock: Clock;
  logger: Logger;
}

/** Robot -> parse -> store -> result, for one job's batch of numbers. Failures are the caller's (track-worker). */
export async function processTrackJob(job: Job<TrackJobData>, deps: TrackProcessorDeps): Promise<TrackJobResult> {
  const data = trackJobSchema.parse(job.data);
  const store = await deps.store();
  const isAgent = data.origin === 'agent';
  const requestedAt = deps.clock.now();
  if (isAgent) {
    for (const trackingNumber of data.trackingNumbers) {
      await store.lookups.start({ jobId: job.id ?? '', trackingNumber, carrier: data.carrier, requestedBy: data.requestedBy ?? 'unknown', requestedAt });
    }
  }
  const robot = deps.robot(data.carrier);
  if (!robot.track) throw new Error(`robot ${data.carrier} cannot track parcels`);
  const outcomes = await robot.track(data.trackingNumbers);
  const checkedAt = deps.clock.now();
  const results: TrackResult[] = [];
  for (const outcome of outcomes) {
    const result = await recordOutcome(store, data.carrier, outcome, checkedAt, isAgent);
    results.push(result);
    if (isAgent) {
      await store.lookups.finish(job.id ?? '', {
        finishedAt: checkedAt,
        outcome: result.outcome,
        status: result.status,
        errorCode: result.errorCode,
        result: result.answer ?? { message: result.message },
      });
    }
  }
  return { results };
}

async function recordOutcome(store: Store, carrier: string, outcome: TrackOutcome, checkedAt: Date, withAnswer: boolean): Promise<TrackResult> {
  const base = { trackingNumber: outcome.trackingNumber, carrier };
  if (outcome.kind === 'not_found') return { ...base, outcome: 'not_found', message: outcome.message };
  if (outcome.kind === 'rejected') return { ...base, outcome: 'rejected', message: outcome.error.message, errorCode: outcome.error.code };
  const { shipment } = await store.tracking.recordSnapshot(outcome.snapshot, checkedAt);
  const answer = withAnswer ? buildLookupAnswer(shipment, await store.tracking.events(shipment.id), checkedAt) : undefined;
  return { ...base, outcome: 'found', status: shipment.status, answer };
}

/** After the last attempt: every number of the batch gets an exception, an agent's look-up its failure. */
export async function recordFailure(job: Job<TrackJobData>, error: RobotError, deps: Pick<TrackProcessorDeps, 'store' | 'clock'>): Promise<void> {
  const store = await deps.store();
  const now = deps.clock.now();
  for (const trackingNumber of job.data.trackingNumbers) {
    await store.exceptions.open({ carrier: job.data.carrier, trackingNumber, code: error.code, message: error.message, evidence: error.evidence, jobId: job.id ?? '', openedAt: now });
    if (job.data.origin === 'agent') {
      await store.lookups.start({ jobId: job.id ?? '', trackingNumber, carrier: job.data.carrier, requestedBy: job.data.requestedBy ?? 'unknown', requestedAt: now });
      await store.lookups.finish(job.id ?? '', { finishedAt: now, outcome: 'failed', errorCode: error.code, result: { message: error.message } });
    }
  }
}
