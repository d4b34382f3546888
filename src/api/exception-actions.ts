import type { FollowUps } from '../followups/follow-ups.ts';
import type { Clock } from '../infra/clock.ts';
import type { TrackQueues } from '../jobs/track-queues.ts';
import type { RobotRegistry } from '../robot-kit/registry.ts';
import type { ExceptionResolution, QueuedException } from '../store/exception-queue.ts';
import type { Store } from '../store/store.ts';
import { decideFollowUp } from './follow-up-decisions.ts';
import { HttpProblem } from './problem.ts';

/**
 * What a manager can do with an exception; each closes it with who, when and how:
 * - resolve: handled outside parcelbot (a note says how);
 * - retry: the parcel's track job is enqueued again (a new failure opens a new exception);
 * - approve / reject: the exception asks for a decision on a follow-up (a claim, a refund...):
 *   the follow-up is approved or rejected (with a reason) through the follow-up runtime.
 */
export const EXCEPTION_ACTIONS = ['approve', 'reject', 'retry', 'resolve'] as const;
export type ExceptionAction = (typeof EXCEPTION_ACTIONS)[number];

const RESOLUTION: Record<ExceptionAction, ExceptionResolution> = { approve: 'approved', reject: 'rejected', retry: 'retried', resolve: 'resolved' };

export interface ExceptionActionDeps {
  store: () => Promise<Store>;
  queues: TrackQueues;
  registry: RobotRegistry;
  clock: Clock;
  followUps: FollowUps;
}

export class ExceptionActions {
  constructor(private readonly deps: ExceptionActionDeps) {}

  /**
   * The exception is taken first (closed by compare-and-set), then acted on: of two managers acting
   * at once, exactly one takes it and acts, the other gets the 409 having changed nothing. An
   * action that is refused or fails gives the exception back open.
   */
  async apply(id: number, action: ExceptionAction, actor: string, note?: string): Promise<QueuedException> {
    const store = await this.deps.store();
    const exception = await store.exceptionQueue.get(id);
    if (!exception) throw new HttpProblem(404, 'not-found', `no exception ${id}`);
    const closing = { by: actor, resolution: RESOLUTION[action], note: note?.trim() || undefined, at: this.deps.clock.now() };
    if (!(await store.exceptionQueue.close(id, closing))) throw alreadyClosed((await store.exceptionQueue.get(id)) ?? exception);
    try {
      await this.act(exception, action, actor, note);
    } catch (error) {
      await store.exceptionQueue.reopen(id, closing);
      throw error;
    }
    return (await store.exceptionQueue.get(id)) ?? exception;
  }

  private async act(exception: QueuedException, action: ExceptionAction, actor: string, note?: string): Promise<void> {
    if (action === 'approve' || action === 'reject') await this.decide(exception, action, actor, note ?? '');
    if (action === 'retry') await this.retry(exception);
  }

  private async decide(exception: QueuedException, action: 'approve' | 'reject', actor: string, reason: string): Promise<void> {
    if (!exception.followUpId) throw new HttpProblem(409, 'no-follow-up', `exception ${exception.id} waits on no follow-up: resolve or retry it`);
    await decideFollowUp(this.deps.followUps, exception.followUpId, action, actor, reason);
  }

  private async retry(exception: QueuedException): Promise<void> {
    if (!this.deps.registry.find(exception.carrier)?.capabilities.track) {
      throw new HttpProblem(409, 'not-retryable', `robot ${exception.carrier} does not track parcels: resolve this exception once handled`);
    }
    // A deterministic id: two managers retrying at once enqueue one job.
    await this.deps.queues.addSweepBatches(`exception-${exception.id}`, [{ carrier: exception.carrier, trackingNumbers: [exception.trackingNumber] }], 0);
  }
}

function alreadyClosed(exception: QueuedException): HttpProblem {
  return new HttpProblem(409, 'already-closed', `exception ${exception.id} was closed (${exception.resolution ?? 'resolved'}) by ${exception.resolvedBy ?? 'someone'} at ${exception.resolvedAt}`);
}
