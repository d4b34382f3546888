import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { buildLookupAnswer, type Freshness } from '../domain/lookup-answer.ts';
import type { Shipment } from '../domain/shipment.ts';
import type { Clock } from '../infra/clock.ts';
import type { Robot, TrackOutcome } from '../robot-kit/define-robot.ts';
import type { RobotError } from '../robot-kit/robot-error.ts';
import { DEFAULT_NEXT_CHECK, type NextCheckSettings } from '../schedule/next-check.ts';
import { type CheckedNumber, nextChecksOf, scheduleNextChecks } from '../schedule/schedule-next-checks.ts';
import type { Trigger } from '../rules/rule-facts.ts';
import type { JudgedVerdict } from '../store/shipment-repository.ts';
import type { Store } from '../store/store.ts';
import type { DailyCallBudget } from './daily-call-budget.ts';
import { freshShipment, withFreshness } from './fresh-answer.ts';
import type { JudgedShipment } from './judge-shipments.ts';
import { type TrackJobData, type TrackJobResult, type TrackOrigin, type TrackResult, trackJobSchema } from './track-job.ts';

/** Why the shipments of a job are judged: the rules' trigger for each origin of track job. */
const TRIGGER_OF: Record<TrackOrigin, Trigger> = { agent: 'lookup', sweep: 'sweep', check: 'check' };

export interface TrackProcessorDeps {
  robot(carrier: string): Robot;
  /** Numbers the carrier takes per call (its robot's capabilities.track.maxBatch). */
  maxBatch(carrier: string): number;
  store(): Promise<Store>;
  /** Counts each job's carrier calls per GMT day; refuses background jobs past their share of a daily quota. */
  dailyBudget: DailyCallBudget;
  clock: Clock;
  logger: Logger;
  /** An agent's look-up of a parcel checked less than this ago answers from the store (FRESH_FOR); 0: always the carrier. */
  freshForMs?: number;
  /** When a checked shipment is next due (FINAL_RECHECK_DAYS, RETIRE_AFTER_DAYS). */
  nextCheck?: NextCheckSettings;
  /** Verdicts and rules over the shipments just checked (src/jobs/judge-shipments.ts); by shipment id, for the processor to store and answer with. */
  judge?(store: Store, shipments: readonly Shipment[], trigger: Trigger): Promise<Map<number, JudgedShipment>>;
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
  const fresh = isAgent && !data.refresh && data.trackingNumbers.length === 1
    ? await freshShipment(store, data.carrier, data.trackingNumbers[0] ?? '', requestedAt, deps.freshForMs ?? 0)
    : undefined;
  if (fresh) {
    const result: TrackResult = { trackingNumber: fresh.trackingNumber, carrier: data.carrier, outcome: 'found', status: fresh.status };
    const recorded = [{ result, shipment: fresh }];
    // Still a customer contact: the rules count it (a case above its target of contacts goes to a manager).
    const judged = await judgeChecked(store, recorded, data.origin, deps);
    await answer(store, recorded, judged, requestedAt, 'store');
    await store.shipments.recordVerdicts(verdictsOf(judged), deps.clock.now());
    await finishLookup(store, job, result, requestedAt);
    return { results: [result] };
  }
  const robot = deps.robot(data.carrier);
  if (!robot.track) throw new Error(`robot ${data.carrier} cannot track parcels`);
  const calls = callsOf(data.trackingNumbers, deps.maxBatch(data.carrier));
  // Counted before any goes out, all of the job's at once: a job refused makes none, rather than
  // some whose answers would be thrown away and asked again tomorrow.
  await deps.dailyBudget.spend(data.carrier, isAgent ? 'agents' : 'background', calls.length);
  const { outcomes, failure } = await trackInCalls(robot.track.bind(robot), calls);
  // An agent's look-up is one number, answered whole or not at all.
  if (failure && (isAgent || outcomes.length === 0)) throw failure.error;
  const checkedAt = deps.clock.now();
  const recorded = await recordOutcomes(store, data.carrier, outcomes, checkedAt);
  await openExceptionsOfFailed(store, job, outcomes, checkedAt);
  const judged = await judgeChecked(store, recorded, data.origin, deps);
  const judgedAt = deps.clock.now();
  if (isAgent) await answer(store, recorded, judged, checkedAt, 'carrier');
  const checked: CheckedNumber[] = recorded.map(({ result, shipment }) => ({ trackingNumber: result.trackingNumber, outcome: result.outcome, shipment }));
  // The verdicts and the next checks in one statement: both are written to the same rows.
  await store.shipments.recordChecks(verdictsOf(judged), await nextChecksOf(store.shipments, data.carrier, checked, checkedAt, deps.nextCheck ?? DEFAULT_NEXT_CHECK), judgedAt);
  if (isAgent) for (const { result } of recorded) await finishLookup(store, job, result, checkedAt);
  const results = [...(data.answered ?? []), ...recorded.map(({ result }) => result)];
  if (failure) {
    // What the answered calls brought is stored: the next attempt asks the carrier only for the
    // numbers left, rather than again for all (carrier calls and quota spent twice), and a job of
    // many calls still gets through a carrier that fails some of them.
    await job.updateData({ ...data, trackingNumbers: failure.unanswered, answered: results });
    throw failure.error;
  }
  return { results };
}

/** Calls of one job in flight together at most: a job of thirty one-number calls makes four rounds, not thirty. */
const CALLS_IN_FLIGHT = 8;

/** The job's numbers cut into carrier calls of `maxBatch`. */
function callsOf(numbers: readonly string[], maxBatch: number): string[][] {
  const calls: string[][] = [];
  for (let start = 0; start < numbers.length; start += maxBatch) calls.push(numbers.slice(start, start + maxBatch));
  return calls;
}

/** What a job's calls brought: the answered calls' outcomes in the numbers' order, and the first call's failure with the numbers left unanswered. */
interface CallsAnswered {
  outcomes: TrackOutcome[];
  failure?: { error: unknown; unanswered: string[] };
}

/** The calls, a few at a time. After a call fails no other starts; those in flight finish and their answers are kept. */
async function trackInCalls(track: NonNullable<Robot['track']>, calls: readonly string[][]): Promise<CallsAnswered> {
  const answers: (TrackOutcome[] | undefined)[] = new Array(calls.length);
  let failure: { error: unknown } | undefined;
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let index = next++; index < calls.length && !failure; index = next++) {
      try {
        answers[index] = await track(calls[index]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CALLS_IN_FLIGHT, calls.length) }, lane));
  const outcomes = answers.flatMap((answer) => answer ?? []);
  if (!failure) return { outcomes };
  return { outcomes, failure: { error: failure.error, unanswered: calls.flatMap((call, index) => (answers[index] ? [] : call)) } };
}

type Recorded = { result: TrackResult; shipment?: Shipment };

/** Judges the shipments found (originals of reshipments included): by shipment id, their verdicts and timelines. */
async function judgeChecked(store: Store, recorded: readonly Recorded[], origin: TrackOrigin, deps: TrackProcessorDeps): Promise<Map<number, JudgedShipment>> {
  const shipments = recorded.flatMap(({ shipment }) => (shipment ? [shipment] : []));
  if (!deps.judge || shipments.length === 0) return new Map();
  return deps.judge(store, shipments, TRIGGER_OF[origin]);
}

/** The verdicts to store. */
function verdictsOf(judged: ReadonlyMap<number, JudgedShipment>): JudgedVerdict[] {
  return [...judged].map(([id, { verdict: { verdict, reasons } }]) => ({ id, verdict, reasons }));
}

/**
 * Each found parcel's answer for the agent, as of its last check, with its verdict: on the
 * timeline the rules read (read once, not again for the answer).
 */
async function answer(store: Store, recorded: readonly Recorded[], judged: ReadonlyMap<number, JudgedShipment>, now: Date, source: Freshness['source']): Promise<void> {
  for (const entry of recorded) {
    const { shipment } = entry;
    if (!shipment) continue;
    const judgement = judged.get(shipment.id);
    const events = judgement?.events ?? (await store.tracking.events(shipment.id));
    const built = withFreshness(buildLookupAnswer(shipment, [...events], new Date(shipment.lastCheckedAt ?? now)), now, source);
    const verdict = judgement?.verdict;
    entry.result.answer = verdict ? { ...built, verdict: { verdict: verdict.verdict, reasons: verdict.reasons, promisedBy: verdict.promisedBy } } : built;
  }
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
async function recordOutcomes(store: Store, carrier: string, outcomes: readonly TrackOutcome[], checkedAt: Date): Promise<Recorded[]> {
  const found = outcomes.flatMap((outcome) => (outcome.kind === 'found' ? [outcome.snapshot] : []));
  const stored = await store.tracking.recordSnapshots(found, checkedAt);
  let next = 0;
  const recorded: Recorded[] = [];
  for (const outcome of outcomes) {
    const base = { trackingNumber: outcome.trackingNumber, carrier };
    if (outcome.kind === 'not_found') recorded.push({ result: { ...base, outcome: 'not_found', message: outcome.message } });
    else if (outcome.kind === 'rejected' || outcome.kind === 'failed') recorded.push({ result: { ...base, outcome: outcome.kind, message: outcome.error.message, errorCode: outcome.error.code } });
    else {
      const { shipment } = stored[next++]!;
      recorded.push({ result: { ...base, outcome: 'found', status: shipment.status }, shipment });
    }
  }
  return recorded;
}

/**
 * The numbers whose answer alone could not be read: each gets its exception, with its own part of
 * the answer as evidence (once per job and number, however often the job runs).
 */
async function openExceptionsOfFailed(store: Store, job: Job<TrackJobData>, outcomes: readonly TrackOutcome[], now: Date): Promise<void> {
  for (const outcome of outcomes) {
    if (outcome.kind === 'failed') await openException(store, job, outcome.trackingNumber, outcome.error, now);
  }
}

function openException(store: Store, job: Job<TrackJobData>, trackingNumber: string, error: RobotError, now: Date): Promise<void> {
  return store.exceptions.open({ carrier: job.data.carrier, trackingNumber, code: error.code, message: error.message, evidence: error.evidence, jobId: job.id ?? '', openedAt: now });
}

/**
 * After the last attempt: every number of the batch gets an exception, an agent's look-up its
 * failure, and each shipment its next check (a resumed sweep does not try it again at once).
 */
export async function recordFailure(job: Job<TrackJobData>, error: RobotError, deps: Pick<TrackProcessorDeps, 'store' | 'clock' | 'nextCheck'>): Promise<void> {
  const store = await deps.store();
  const now = deps.clock.now();
  for (const trackingNumber of job.data.trackingNumbers) {
    await openException(store, job, trackingNumber, error, now);
    if (job.data.origin === 'agent') {
      await store.lookups.start({ jobId: job.id ?? '', trackingNumber, carrier: job.data.carrier, requestedBy: job.data.requestedBy ?? 'unknown', requestedAt: now });
      await store.lookups.finish(job.id ?? '', { finishedAt: now, outcome: 'failed', errorCode: error.code, result: { message: error.message } });
    }
  }
  const failed = job.data.trackingNumbers.map((trackingNumber) => ({ trackingNumber, outcome: 'failed' as const }));
  await scheduleNextChecks(store.shipments, job.data.carrier, failed, now, deps.nextCheck ?? DEFAULT_NEXT_CHECK);
}
