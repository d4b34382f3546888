import { FollowUpStateError, UnknownFollowUpError } from '../followups/follow-up-errors.ts';
import type { FollowUps } from '../followups/follow-ups.ts';
import type { StoredFollowUp } from '../store/follow-up-repository.ts';
import { HttpProblem } from './problem.ts';

export const FOLLOW_UP_DECISIONS = ['approve', 'reject'] as const;
export type FollowUpDecision = (typeof FOLLOW_UP_DECISIONS)[number];

/**
 * A manager's decision on a follow-up, through the follow-up runtime (audited with their name):
 * approving queues it to run when due, rejecting (a reason required) cancels it. An unknown
 * follow-up is a 404; one in a state that does not allow the decision a 409 saying which.
 */
export async function decideFollowUp(followUps: FollowUps, id: string, decision: FollowUpDecision, manager: string, reason?: string): Promise<StoredFollowUp> {
  const why = reason?.trim();
  if (decision === 'reject' && !why) throw HttpProblem.field('reason', 'say why the follow-up is rejected');
  try {
    return decision === 'approve' ? await followUps.approve(id, manager) : await followUps.reject(id, manager, why);
  } catch (error) {
    if (error instanceof UnknownFollowUpError) throw new HttpProblem(404, 'not-found', `no follow-up ${id}`);
    if (error instanceof FollowUpStateError) throw new HttpProblem(409, 'follow-up-state', error.message);
    throw error;
  }
}
