import type { FollowUpKind } from '../domain/follow-up.ts';
import { RobotError } from '../robot-kit/robot-error.ts';
import type { FollowUpExecutor } from './follow-up-executor.ts';

/** The executors the runtime knows, one per kind; the list is made in src/followups/executors/index.ts. */
export class ExecutorRegistry {
  private readonly byKind = new Map<FollowUpKind, FollowUpExecutor>();

  constructor(executors: readonly FollowUpExecutor[]) {
    for (const executor of executors) {
      if (this.byKind.has(executor.kind)) throw new Error(`two executors for follow-ups of kind ${executor.kind}`);
      this.byKind.set(executor.kind, executor);
    }
  }

  kinds(): FollowUpKind[] {
    return [...this.byKind.keys()];
  }

  /** Throws FOLLOW_UP_INVALID (final) when no executor carries out this kind. */
  get(kind: FollowUpKind): FollowUpExecutor {
    const executor = this.byKind.get(kind);
    if (!executor) throw new RobotError('FOLLOW_UP_INVALID', `no executor carries out ${kind} follow-ups in this installation (known: ${this.kinds().join(', ') || 'none'})`);
    return executor;
  }
}
