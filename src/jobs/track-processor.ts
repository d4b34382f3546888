import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { buildLookupAnswer } from '../domain/lookup-answer.ts';
import type { Shipment } from '../domain/shipment.ts';
import type { Clock } from '../infra/clock.ts';
import type { Robot, TrackOutcome } from '../robot-kit/define-robot.ts';
import type { RobotError } from '../robot-kit/robot-error.ts';
import { DEFAULT_NEXT_CHECK, type NextCheckSettings } from '../schedule/next-check.ts';
import { type CheckedNumber, nextChecksOf, scheduleNextChecks } from '../schedule/schedule-next-checks.ts';
import type { VerdictResult } from '../promise/compute-verdict.ts';
import type { Trigger } from '../rules/rule-facts.ts';
import type { JudgedVerdict } from '../store/shipment-repository.ts';
import type { Store } from '../store/store.ts';
import { freshAnswer, withFreshness } from './fresh-answer.ts';
import { type TrackJobData, type TrackJobResult, type TrackOrigin, type TrackResult, trackJobSchema } from './track-job.ts';

/** Why the shipments of a job are judged: the rules' trigger for each origin of track job. */
const TRIGGER_OF: Record<TrackOrigin, Trigger> = { agent: 'lookup', sweep: 'sweep', check: 'check' };

export interface TrackProcessorDeps {
  robot(carrier: string): Robot;
  /** Numbers the carrier takes per call (its robot's capabilities.track.maxBatch). */
  maxBatch(carrier: string): number;
  store(): Promise<Store>;
  clock: Clock;
  logger: Logger;
  /** An agent's look-up of a parcel checked less than this ago answers from the store (FRESH_FOR); 0: always the carrier. */
  freshForMs?: number;
  /** When a checked shipment is next due (FINAL_RECHECK_DAYS, RETIRE_AFTER_DAYS). */
  nextCheck?: NextCheckSettings;
  /** Verdicts and rules over the shipments just checked (src/jobs/judge-shipments.ts); by shipment id, for the processor to store. */
  judge?(store: Store, shipments: readonly Shipment[], trigger: Trigger): Promise<Map<number, VerdictResult>>;
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
  // A look-up answered from the store is one path for the CLI and the API, and costs no carrier call.
  const fromStore = isAgent && !data.refresh && data.trackingNumbers.length === 1
    ? await freshAnswer(store, data.carrier, data.trackingNumbers[0] ?? '', requestedAt, deps.freshForMs ?? 0)
    : undefined;
  if (fromStore) {
    // Still a customer contact: the rules count it (a case above its target of contacts goes to a manager).
    const verdicts = await judgeChecked(store, [{ result: fromStore, shipment: await store.shipments.find(data.carrier, fromStore.trackingNumber) }], data.origin, deps);
    await store.shipments.recordVerdicts(verdicts, deps.clock.now());
    await finishLookup(store, job, fromStore, requestedAt);
    return { results: [fromStore] };
  }
  const robot = deps.robot(data.carrier);
  if (!robot.track) throw new Error(`robot ${data.carrier} cannot track parcels`);
  const outcomes = await trackInCalls(robot.track.bind(robot), data.trackingNumbers, deps.maxBatch(data.carrier));
  const checkedAt = deps.clock.now();
  const recorded = await recordOutcomes(store, data.carrier, outcomes, checkedAt, isAgent);
  const verdicts = await judgeChecked(store, recorded, data.origin, deps);
  const judgedAt = deps.clock.now();
  const checked: CheckedNumber[] = recorded.map(({ result, shipment }) => ({ trackingNumber: result.trackingNumber, outcome: result.outcome, shipment }));
  // The verdicts and the next checks in one statement: both are written to the same rows.
  await store.shipments.recordChecks(verdicts, await nextChecksOf(store.shipments, data.carrier, checked, checkedAt, deps.nextCheck ?? DEFAULT_NEXT_CHECK), judgedAt);
  if (isAgent) for (const { result } of recorded) await finishLookup(store, job, result, checkedAt);
  return { results: recorded.map(({ result }) => result) };
}

/** Calls of one job in flight together at most: a job of thirty one-number calls makes four rounds, not thirty. */
const CALLS_IN_FLIGHT = 8;

/** The job's numbers in calls of `maxBatch`, a few at a time; the outcomes in the numbers' order. A call that fails fails the job. */
async function trackInCalls(track: NonNullable<Robot['track']>, numbers: readonly string[], maxBatch: number): Promise<TrackOutcome[]> {
  const calls: string[][] = [];
  for (let start = 0; start < numbers.length; start += maxBatch) calls.push(numbers.slice(start, start + maxBatch));
  const answers: TrackOutcome[][] = new Array(calls.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let index = next++; index < calls.length; index = next++) answers[index] = await track(calls[index]!);
  };
  await Promise.all(Array.from({ length: Math.min(CALLS_IN_FLIGHT, calls.length) }, lane));
  return answers.flat();
}

/** Judges the shipments found, and puts each verdict in its agent's answer. Returns the verdicts to store (originals of reshipments included). */
async function judgeChecked(store: Store, recorded: readonly { result: TrackResult; shipment?: Shipment }[], origin: TrackOrigin, deps: TrackProcessorDeps): Promise<JudgedVerdict[]> {
  const shipments = recorded.flatMap(({ shipment }) => (shipment ? [shipment] : []));
  if (!deps.judge || shipments.length === 0) return [];
  const verdicts = await deps.judge(store, shipments, TRIGGER_OF[origin]);
  for (const { result, shipment } of recorded) {
    const verdict = shipment && verdicts.get(shipment.id);
    if (result.answer && verdict) result.answer = { ...result.answer, verdict: { verdict: verdict.verdict, reasons: verdict.reasons, promisedBy: verdict.promisedBy } };
  }
  return [...verdicts].map(([id, { verdict, reasons }]) => ({ id, verdict, reasons }));
}

async function finishLookup(store: Store, job: Job<TrackJobData>, result: TrackResult, finishedAt: Date): Promise<void> {
  await store.lookups.finish(job.id ?? '', {
    finishedAt,
    outcome: result.outcome,
    status: result.status,
    errorCode: result.errorCode,
    result: result.answer ?? { message: result.message },
  });
}

/** What the carrier answered, stored in one go (the found parcels' snapshots), one result per number. */
async function recordOutcomes(store: Store, carrier: string, outcomes: readonly TrackOutcome[], checkedAt: Date, withAnswer: boolean): Promise<{ result: TrackResult; shipment?: Shipment }[]> {
  const found = outcomes.flatMap((outcome) => (outcome.kind === 'found' ? [outcome.snapshot] : []));
  const stored = await store.tracking.recordSnapshots(found, checkedAt);
  let next = 0;
  const recorded: { result: TrackResult; shipment?: Shipment }[] = [];
  for (const outcome of outcomes) {
    const base = { trackingNumber: outcome.trackingNumber, carrier };
    if (outcome.kind === 'not_found') recorded.push({ result: { ...base, outcome: 'not_found', message: outcome.message } });
    else if (outcome.kind === 'rejected') recorded.push({ result: { ...base, outcome: 'rejected', message: outcome.error.message, errorCode: outcome.error.code } });
    else {
      const { shipment } = stored[next++]!;
      const answer = withAnswer ? withFreshness(buildLookupAnswer(shipment, await store.tracking.events(shipment.id), checkedAt), checkedAt, 'carrier') : undefined;
      recorded.push({ result: { ...base, outcome: 'found', status: shipment.status, answer }, shipment });
    }
  }
  return recorded;
}

/**
 * After the last attempt: every number of the batch gets an exception, an agent's look-up its
 * failure, and each shipment its next check (a resumed sweep does not try it again at once).
 */
export async function recordFailure(job: Job<TrackJobData>, error: RobotError, deps: Pick<TrackProcessorDeps, 'store' | 'clock' | 'nextCheck'>): Promise<void> {
  const store = await deps.store();
  const now = deps.clock.now();
  for (const trackingNumber of job.data.trackingNumbers) {
    await store.exceptions.open({ carrier: job.data.carrier, trackingNumber, code: error.code, message: error.message, evidence: error.evidence, jobId: job.id ?? '', openedAt: now });
    if (job.data.origin === 'agent') {
      await store.lookups.start({ jobId: job.id ?? '', trackingNumber, carrier: job.data.carrier, requestedBy: job.data.requestedBy ?? 'unknown', requestedAt: now });
      await store.lookups.finish(job.id ?? '', { finishedAt: now, outcome: 'failed', errorCode: error.code, result: { message: error.message } });
    }
  }
  const failed = job.data.trackingNumbers.map((trackingNumber) => ({ trackingNumber, outcome: 'failed' as const }));
  await scheduleNextChecks(store.shipments, job.data.carrier, failed, now, deps.nextCheck ?? DEFAULT_NEXT_CHECK);
}
