import type { Job } from 'bullmq';
import type { LookupAnswer } from '../domain/lookup-answer.ts';
import { checkTrackingNumberShape, normalizeTrackingNumber } from '../domain/tracking-number.ts';
import type { Clock } from '../infra/clock.ts';
import type { JobSizes } from '../jobs/job-size.ts';
import { lookupsHeldUntil } from '../jobs/lookup-hold.ts';
import type { TrackJobData, TrackJobResult } from '../jobs/track-job.ts';
import type { TrackQueues } from '../jobs/track-queues.ts';
import { chooseCarrier } from '../robot-kit/choose-carrier.ts';
import type { RobotRegistry } from '../robot-kit/registry.ts';
import type { LookupOutcome } from '../store/lookup-repository.ts';
import type { Store } from '../store/store.ts';
import { HttpProblem } from './problem.ts';

/** A look-up as an agent follows it: queued, running, then done (with the carrier's answer) or failed. */
export interface LookupView {
  id: string;
  trackingNumber: string;
  carrier: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  outcome?: LookupOutcome;
  answer?: LookupAnswer;
  /** Why there is no answer: unknown to the carrier, refused, or the failure after the last attempt. */
  message?: string;
  /** Queued while the carrier's rate limit holds its look-up queue: when the look-up can run (ISO 8601). */
  heldUntil?: string;
}

export type LookupRequest = { trackingNumber: string; carrier?: string } | { orderRef: string };

/** The longest an API caller may hold a request open waiting for an answer. */
export const LOOKUP_WAIT_MAX_SECONDS = 60;

const LOOKUP_ID = /^lookup-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Target {
  carrier: string;
  trackingNumber: string;
}

/**
 * "Find my parcel" for the API and the agent page: the same path as `parcelbot track` (a job on
 * the carrier's look-up queue, agents' own lane), answered by the workers (`parcelbot worker`, or
 * `parcelbot serve --with-workers`); this process never runs robots on a request.
 */
export class LookupService {
  constructor(private readonly deps: { registry: RobotRegistry; queues: TrackQueues; jobSizes: Pick<JobSizes, 'workerLimiter'>; store: () => Promise<Store>; clock: Clock }) {}

  /**
   * Enqueues one look-up per parcel (an order may have several) and waits up to `waitSeconds` for
   * the answers, except those of a carrier whose rate limit holds its queue beyond that wait: no
   * answer can come before the hold ends, which the look-up says (`heldUntil`). `refresh` asks the
   * carrier even when the store's answer is fresh (FRESH_FOR).
   */
  async start(request: LookupRequest, requestedBy: string, waitSeconds: number, options: { refresh?: boolean } = {}): Promise<LookupView[]> {
    const targets = await this.targets(request);
    for (const carrier of new Set(targets.map((target) => target.carrier))) {
      if ((await this.deps.queues.workersOnline(carrier, 'agents')) === 0) {
        throw new HttpProblem(503, 'no-worker', `no worker is working the ${carrier} look-up queue: start parcelbot worker, or parcelbot serve --with-workers`);
      }
    }
    const jobs = await Promise.all(
      targets.map(async ({ carrier, trackingNumber }) => {
        // Listening before enqueueing: an answer can never arrive unheard.
        const events = await this.deps.queues.queueEvents(carrier, 'agents');
        const job = await this.deps.queues.addAgentLookup(carrier, trackingNumber, requestedBy, options);
        return { job, events };
      }),
    );
    const waitEnds = this.deps.clock.now().getTime() + waitSeconds * 1000;
    const held = new Set<string>();
    for (const carrier of new Set(targets.map((target) => target.carrier))) {
      const heldUntil = await lookupsHeldUntil(this.deps.queues, this.deps.jobSizes, carrier, this.deps.clock.now());
      if (heldUntil && heldUntil.getTime() > waitEnds) held.add(carrier);
    }
    const answerable = jobs.filter(({ job }) => !held.has(job.data.carrier));
    if (waitSeconds > 0) await Promise.allSettled(answerable.map(({ job, events }) => job.waitUntilFinished(events, waitSeconds * 1000)));
    return Promise.all(jobs.map(async ({ job }) => (await this.find(job.id ?? '', [job.data.carrier])) ?? viewOfJob(job, 'queued')));
  }

  /** A look-up by id: from its job while Redis keeps it, then from the store's record. */
  async get(id: string): Promise<LookupView | undefined> {
    if (!LOOKUP_ID.test(id)) return undefined;
    return this.find(id, this.deps.registry.trackers().map((definition) => definition.id));
  }

  /** `get`, its job looked for in the agents' queues of these carriers only. */
  private async find(id: string, carriers: readonly string[]): Promise<LookupView | undefined> {
    const jobs = await Promise.all(carriers.map((carrier) => this.deps.queues.queue(carrier, 'agents').getJob(id)));
    const job = jobs.find((candidate) => candidate !== undefined);
    if (job) return this.withHold(viewOfJob(job, await job.getState()));
    const stored = await (await this.deps.store()).lookups.get(id);
    if (!stored?.outcome) return undefined;
    const result = stored.result as (LookupAnswer & { message?: string }) | undefined;
    return {
      id,
      trackingNumber: stored.trackingNumber,
      carrier: stored.carrier,
      state: stored.outcome === 'failed' ? 'failed' : 'done',
      outcome: stored.outcome,
      ...(stored.outcome === 'found' && result ? { answer: result } : { message: result?.message }),
    };
  }

  /** A queued look-up says when the carrier's rate limit lets it run, if it holds the queue now. */
  private async withHold(view: LookupView): Promise<LookupView> {
    if (view.state !== 'queued') return view;
    const heldUntil = await lookupsHeldUntil(this.deps.queues, this.deps.jobSizes, view.carrier, this.deps.clock.now());
    return heldUntil ? { ...view, heldUntil: heldUntil.toISOString() } : view;
  }

  private async targets(request: LookupRequest): Promise<Target[]> {
    if ('orderRef' in request) {
      const shipments = await (await this.deps.store()).shipmentSearch.search({ search: request.orderRef, limit: 20 });
      const ofOrder = shipments.filter((shipment) => shipment.orderRef === request.orderRef);
      if (ofOrder.length === 0) throw new HttpProblem(404, 'unknown-order', 'no shipment has this order reference: import the order, or look its parcel up by tracking number');
      return ofOrder.map(({ carrier, trackingNumber }) => ({ carrier, trackingNumber }));
    }
    const trackingNumber = normalizeTrackingNumber(request.trackingNumber);
    const shape = checkTrackingNumberShape(trackingNumber);
    if (shape) throw HttpProblem.field('trackingNumber', shape);
    const choice = chooseCarrier(this.deps.registry, trackingNumber, request.carrier);
    if ('carrier' in choice) return [{ carrier: choice.carrier, trackingNumber }];
    const hint = choice.undetected ? `; name the carrier in "carrier" (${this.deps.registry.trackers().map((t) => t.id).join(', ')})` : '';
    throw HttpProblem.field(choice.field, `${choice.message}${hint}`);
  }
}

function viewOfJob(job: Job<TrackJobData, TrackJobResult>, state: string): LookupView {
  const base = { id: job.id ?? '', trackingNumber: job.data.trackingNumbers[0] ?? '', carrier: job.data.carrier };
  if (state === 'completed') {
    const result = job.returnvalue?.results[0];
    // A number whose answer could not be read completes its job, failed like a job that failed.
    const finished = result?.outcome === 'failed' ? 'failed' : 'done';
    return { ...base, state: finished, outcome: result?.outcome, ...(result?.answer ? { answer: result.answer } : { message: result?.message }) };
  }
  if (state === 'failed') return { ...base, state: 'failed', outcome: 'failed', message: job.failedReason };
  return { ...base, state: state === 'active' ? 'running' : 'queued' };
}
