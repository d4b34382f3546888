import { RobotError } from '../robot-kit/robot-error.ts';

/**
 * What a failed attempt leads to. The one place where error policies become queue behaviour:
 * - retry: BullMQ tries again after its exponential backoff with jitter;
 * - wait: the carrier's queue pauses for Retry-After and the job goes back, no attempt used;
 * - give_up: no retry (final error, or the last attempt failed): an exception is opened.
 */
export type FailureDecision = { action: 'retry' } | { action: 'wait'; ms: number } | { action: 'give_up' };

export function decideOnFailure(error: RobotError, attempt: number, maxAttempts: number): FailureDecision {
  switch (error.policy) {
    case 'final':
      return { action: 'give_up' };
    case 'rate_limited':
      return { action: 'wait', ms: error.retryAfterMs ?? 1000 };
    case 'session_expired':
    case 'transient':
      return attempt >= maxAttempts ? { action: 'give_up' } : { action: 'retry' };
  }
}

/** Anything thrown that is not a RobotError is a fault of ours or of the store: transient. */
export function asRobotError(error: unknown): RobotError {
  if (error instanceof RobotError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RobotError('UNEXPECTED_ERROR', `unexpected error: ${message}`, { cause: error });
}
