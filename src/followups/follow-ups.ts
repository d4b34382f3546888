import { CHECK_ACTION, type Decision, type FollowUpKind, type FollowUpState } from '../domain/follow-up.ts';
import type { Shipment } from '../domain/shipment.ts';
import type { Clock } from '../infra/clock.ts';
import type { Effect } from '../store/effect-repository.ts';
import type { Actor, AuditEntry, AuditRecord, FollowUpFilter, ListedFollowUp, StoredFollowUp } from '../store/follow-up-repository.ts';
import type { Store } from '../store/store.ts';
import { approvalFor, stakeOf } from './approval-policy.ts';
import { FollowUpStateError, UnknownFollowUpError } from './follow-up-errors.ts';
import { followUpId } from './follow-up-id.ts';
import type { FollowUpQueue } from './follow-up-queue.ts';

/** A decision that is a follow-up: every action but `check`, which the caller turns into a delayed track job. */
export type FollowUpDecision = Decision & { action: FollowUpKind };

export function isFollowUpDecision(decision: Decision): decision is FollowUpDecision {
  return decision.action !== CHECK_ACTION;
}

export interface Proposal {
  followUp: StoredFollowUp;
  /** False when the same decision had been proposed before: nothing new was made. */
  created: boolean;
}

export interface FollowUpRecord {
  followUp: StoredFollowUp;
  audit: AuditEntry[];
  effects: Effect[];
}

export interface FollowUpsOptions {
  store: () => Promise<Store>;
  queue: FollowUpQueue;
  clock: Clock;
  /** FOLLOWUP_APPROVAL_ABOVE. */
  approvalAbove: number;
}

/**
 * The follow-up runtime's front: rules propose, managers approve or reject, people list. Every
 * change is audited in the same transaction as the change; a follow-up ready to run is one
 * BullMQ job whose id is the follow-up's, delayed until it is due.
 */
export class FollowUps {
  constructor(private readonly options: FollowUpsOptions) {}

  /** The BullMQ queue follow-ups run on (a dashboard, tests waiting for a job). */
  get queue(): FollowUpQueue {
    return this.options.queue;
  }

  /**
   * Records the decision as a follow-up once: proposing the same decision again (a second sweep,
   * a retry) finds the same follow-up and makes nothing new, only enqueues it again if it is
   * still waiting to run (adding a job that exists does nothing). Under the approval policy it
   * is queued at once, else it waits for a manager in `awaiting_approval`.
   */
  async propose(shipment: Shipment, decision: FollowUpDecision, actor?: Actor): Promise<Proposal> {
    const [proposal] = await this.proposeAll([{ shipment, decision }], actor);
    return proposal!;
  }

  /**
   * `propose` for several decisions, stored in one statement (a sweep job's shipments are judged
   * together), then each queued in order. One proposal per decision, in order.
   */
  async proposeAll(decisions: readonly { shipment: Shipment; decision: FollowUpDecision }[], actor?: Actor): Promise<Proposal[]> {
    if (decisions.length === 0) return [];
    const { clock } = this.options;
    const entries = decisions.map(({ shipment, decision }) => {
      if (!isFollowUpDecision(decision)) throw new Error(`a "${CHECK_ACTION}" decision is not a follow-up: schedule a track job for it`);
      const dueAt = decision.at === undefined ? clock.now() : new Date(decision.at);
      if (Number.isNaN(dueAt.getTime())) throw new Error(`decision of rule ${decision.ruleId}: "at" must be an ISO 8601 instant`);
      const stake = stakeOf(shipment, decision.params);
      const approval = approvalFor(decision.action, stake, this.options.approvalAbove);
      return {
        followUp: {
          id: followUpId(shipment.id, decision.action, decision.ruleId, decision.params),
          shipmentId: shipment.id,
          kind: decision.action,
          state: approval.required ? ('awaiting_approval' as const) : ('proposed' as const),
          ruleId: decision.ruleId,
          params: decision.params,
          reason: decision.reason,
          dueAt: dueAt.toISOString(),
          valueAtStake: stake.value,
          currency: stake.currency,
          approvalRequired: approval.required,
        },
        audit: {
          proposed: { actor: actor ?? (`rule:${decision.ruleId}` as const), event: 'proposed', details: { reason: decision.reason, params: decision.params, dueAt: dueAt.toISOString() } },
          policy: { actor: 'system' as const, event: approval.required ? 'approval_requested' : 'approved_automatically', details: { why: approval.why } },
        },
      };
    });
    const store = await this.options.store();
    const proposals = await store.followUps.createMany(entries, clock.now());
    await this.enqueueWhenReady(proposals.flatMap(({ followUp, created }) => (followUp.state === 'proposed' ? [{ followUp, justProposed: created }] : [])));
    return proposals;
  }

  /**
   * After a follow-up settled (done, failed, cancelled): the follow-ups of the same rule and
   * shipment waiting for it (`after: <its kind>`) are queued when it is done, cancelled otherwise.
   */
  async settled(followUp: StoredFollowUp): Promise<void> {
    const store = await this.options.store();
    const waiting = (await store.followUps.list({ shipmentId: followUp.shipmentId, state: 'proposed' })).filter(
      (dependent) => dependent.ruleId === followUp.ruleId && dependent.params.after === followUp.kind,
    );
    await this.enqueueWhenReady(waiting.map((dependent) => ({ followUp: dependent, justProposed: false })));
  }

  /** A manager approves a follow-up awaiting approval: it is queued for when it is due (and what it waits for is done). */
  async approve(id: string, manager: string): Promise<StoredFollowUp> {
    const approved = await this.move(id, ['awaiting_approval'], 'proposed', { actor: `manager:${manager}`, event: 'approved' }, 'approved');
    await this.enqueueWhenReady([{ followUp: approved, justProposed: false }]);
    return approved;
  }

  /** A manager turns down a follow-up that has not started: it is cancelled and never runs. */
  async reject(id: string, manager: string, reason?: string): Promise<StoredFollowUp> {
    const details = reason ? { reason } : undefined;
    const rejected = await this.move(id, ['awaiting_approval', 'proposed'], 'cancelled', { actor: `manager:${manager}`, event: 'rejected', details }, 'rejected');
    await this.options.queue.remove(id);
    await this.settled(rejected);
    return rejected;
  }

  async list(filter: FollowUpFilter = {}): Promise<ListedFollowUp[]> {
    return (await this.options.store()).followUps.list(filter);
  }

  /** A page of `list` and how many match in all. */
  async page(filter: FollowUpFilter = {}): Promise<{ total: number; items: ListedFollowUp[] }> {
    return (await this.options.store()).followUps.page(filter);
  }

  /** The follow-up with its audit trail and its effects; undefined when there is none with this id. */
  async get(id: string): Promise<FollowUpRecord | undefined> {
    const store = await this.options.store();
    const followUp = await store.followUps.get(id);
    if (!followUp) return undefined;
    return { followUp, audit: await store.followUps.audit(id), effects: await store.effects.listFor(id) };
  }

  private async move(id: string, from: readonly FollowUpState[], to: FollowUpState, audit: { actor: Actor; event: string; details?: Record<string, unknown> }, verb: string): Promise<StoredFollowUp> {
    const store = await this.options.store();
    const moved = await store.followUps.transition(id, { from, to, audit }, this.options.clock.now());
    if (moved) return moved;
    const current = await store.followUps.get(id);
    if (!current) throw new UnknownFollowUpError(id);
    throw new FollowUpStateError(`follow-up ${id} is ${current.state.replace(/_/g, ' ')}: only one ${from.map((state) => state.replace(/_/g, ' ')).join(' or ')} can be ${verb}`);
  }

  /**
   * Queues each follow-up, in order, unless it waits for another: `params.after` names a kind, and the rule's
   * follow-up of that kind for the shipment must be done first (the customer hears of a
   * replacement once it is ordered, not when a manager may still turn it down). When that one
   * was cancelled or failed, this one is cancelled too; when it is not settled yet, this one
   * waits and `settled` queues it later; the waits just proposed are noted in one statement.
   */
  private async enqueueWhenReady(followUps: readonly { followUp: StoredFollowUp; justProposed: boolean }[]): Promise<void> {
    const dependents = followUps.filter(({ followUp }) => typeof followUp.params.after === 'string');
    const store = await this.options.store();
    // Their shipments' follow-ups read once; a dependent cancelled below is seen so by the next ones.
    const known = await store.followUps.ofShipments(dependents.map(({ followUp }) => followUp.shipmentId));
    const now = this.options.clock.now();
    const waiting: { id: string; record: AuditRecord }[] = [];
    for (const { followUp, justProposed } of followUps) {
      const after = followUp.params.after;
      if (typeof after !== 'string') {
        await this.enqueue(followUp);
        continue;
      }
      const prerequisite = known.find((other) => other.shipmentId === followUp.shipmentId && other.ruleId === followUp.ruleId && other.kind === after);
      if (prerequisite?.state === 'done') await this.enqueue(followUp);
      else if (prerequisite?.state === 'cancelled' || prerequisite?.state === 'failed') {
        const details = { after, prerequisite: prerequisite.id, state: prerequisite.state };
        const cancelled = await store.followUps.transition(followUp.id, { from: ['proposed'], to: 'cancelled', audit: { actor: 'system', event: 'cancelled_with_prerequisite', details } }, now);
        const index = cancelled ? known.findIndex((other) => other.id === cancelled.id) : -1;
        if (cancelled && index >= 0) known[index] = cancelled;
      } else if (justProposed) waiting.push({ id: followUp.id, record: { actor: 'system', event: 'waiting_for', details: { after, prerequisite: prerequisite?.id ?? null } } });
    }
    await store.followUps.noteMany(waiting, now);
  }

  private async enqueue(followUp: StoredFollowUp): Promise<void> {
    await this.options.queue.add(followUp.id, new Date(followUp.dueAt).getTime() - this.options.clock.now().getTime());
  }
}
