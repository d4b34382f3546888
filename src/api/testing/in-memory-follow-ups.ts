import type { FollowUpKind, FollowUpState } from '../../domain/follow-up.ts';
import type { FollowUp } from '../../followups/follow-up-executor.ts';
import type { FollowUpDecision, FollowUpFilter, FollowUpsPort } from '../ports.ts';

/**
 * For tests of the routes and pages only, until the follow-ups service (src/followups/) is
 * merged: follow-ups in a map, approval moving `awaiting_approval` to `proposed` (queued to run
 * when due, as the runtime does), rejection to `cancelled`, each decision kept with its actor. The real service replaces it in `serve`.
 */
export class InMemoryFollowUps implements FollowUpsPort {
  private readonly followUps = new Map<string, FollowUp>();
  readonly decisions: { id: string; actor: string; action: 'approve' | 'reject'; reason?: string }[] = [];

  add(followUp: FollowUp): void {
    this.followUps.set(followUp.id, followUp);
  }

  async list(filter: FollowUpFilter): Promise<FollowUp[]> {
    return [...this.followUps.values()]
      .filter((followUp) => (!filter.state || followUp.state === filter.state) && (!filter.kind || followUp.kind === filter.kind) && (filter.shipmentId === undefined || followUp.shipmentId === filter.shipmentId))
      .sort((a, b) => b.dueAt.localeCompare(a.dueAt))
      .slice(0, filter.limit);
  }

  async get(id: string): Promise<FollowUp | undefined> {
    return this.followUps.get(id);
  }

  async approve(id: string, actor: string): Promise<FollowUpDecision> {
    return this.decide(id, 'proposed', { id, actor, action: 'approve' });
  }

  async reject(id: string, actor: string, reason: string): Promise<FollowUpDecision> {
    return this.decide(id, 'cancelled', { id, actor, action: 'reject', reason });
  }

  async counts(): Promise<{ kind: FollowUpKind; state: FollowUpState; count: number }[]> {
    const counts = new Map<string, { kind: FollowUpKind; state: FollowUpState; count: number }>();
    for (const { kind, state } of this.followUps.values()) {
      const entry = counts.get(`${kind}/${state}`) ?? { kind, state, count: 0 };
      entry.count += 1;
      counts.set(`${kind}/${state}`, entry);
    }
    return [...counts.values()];
  }

  private decide(id: string, next: FollowUpState, decision: InMemoryFollowUps['decisions'][number]): FollowUpDecision {
    const followUp = this.followUps.get(id);
    if (!followUp) return { ok: false, problem: 'not_found' };
    if (followUp.state !== 'awaiting_approval') return { ok: false, problem: 'not_awaiting_approval', state: followUp.state };
    const decided = { ...followUp, state: next };
    this.followUps.set(id, decided);
    this.decisions.push(decision);
    return { ok: true, followUp: decided };
  }
}
