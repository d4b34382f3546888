import { RobotError } from '../robot-kit/robot-error.ts';

/**
 * A worker stopped between an external call and its record, and the target can neither be asked
 * whether it acted nor be called again safely with the same key: the call is not repeated, and
 * the follow-up fails into a manager case (final: EFFECT_UNCERTAIN).
 */
export class EffectUncertainError extends RobotError {
  constructor(
    readonly target: string,
    readonly key: string,
  ) {
    super('EFFECT_UNCERTAIN', `${target} may have acted on ${key} before a worker stopped: check ${target} by hand; it was not done twice`, {
      evidence: { step: `effect ${key} on ${target}` },
    });
    this.name = 'EffectUncertainError';
  }
}
