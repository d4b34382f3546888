import type { Clock } from '../infra/clock.ts';
import { RobotError } from '../robot-kit/robot-error.ts';
import type { Store } from '../store/store.ts';
import { EffectUncertainError } from './effect-uncertain-error.ts';
import type { EffectLedger, EffectSpec } from './follow-up-executor.ts';

/**
 * The EffectLedger over the `effects` table, for one follow-up (follow-up-executor.ts says the
 * rules). A key's row is `started` before the call and `done` with the result after it:
 * - `done`: the recorded result, no call;
 * - `started` (a worker stopped after the call, or the call ended without an answer): `reconcile`
 *   asks the target; what it finds is recorded and returned, and when it finds nothing the effect
 *   never happened and is called. Without `reconcile`, `retrySafe` calls again with the same key;
 *   without either, EffectUncertainError: nothing is repeated and a manager checks by hand.
 * - `failed`: the target answered a 4xx (HTTP, or an SMTP reply), so it refused and did nothing:
 *   the next attempt calls again.
 * A 5xx or a timeout leaves the key `started`: the target may have acted before failing.
 * Each step is in the follow-up's audit trail.
 */
export function createEffectLedger(store: Store, followUpId: string, clock: Clock): EffectLedger {
  const note = (event: string, details: Record<string, unknown>) => store.followUps.note(followUpId, { actor: 'worker', event, details }, clock.now());

  async function perform<T>(key: string, spec: EffectSpec<T>): Promise<T> {
    let result: T;
    try {
      result = await spec.call();
    } catch (error) {
      if (refusedByTarget(error)) {
        await store.effects.fail(key, `${error.code}: ${error.message}`, clock.now());
        await note('effect_refused', { key, target: spec.target, code: error.code, message: error.message });
      }
      throw error;
    }
    await store.effects.finish(key, result, clock.now());
    await note('effect_done', { key, target: spec.target, by: 'call' });
    return result;
  }

  return {
    async once<T>(key: string, spec: EffectSpec<T>): Promise<T> {
      const claimed = await store.effects.claim({ key, followUpId, target: spec.target, request: spec.request }, clock.now());
      if (claimed) {
        await note('effect_started', { key, target: spec.target, request: spec.request ?? null });
        return perform(key, spec);
      }
      const effect = await store.effects.get(key);
      if (!effect) throw new Error(`effect ${key} vanished`);
      if (effect.state === 'done') return effect.response as T;
      if (spec.reconcile) {
        const found = await spec.reconcile();
        if (found !== undefined) {
          await store.effects.finish(key, found, clock.now());
          await note('effect_done', { key, target: spec.target, by: 'reconcile' });
          return found;
        }
        await note('effect_restarted', { key, target: spec.target, why: `${spec.target} has no trace of it` });
      } else if (spec.retrySafe) {
        await note('effect_restarted', { key, target: spec.target, why: `${spec.target} takes the same idempotency key again` });
      } else {
        throw new EffectUncertainError(spec.target, key);
      }
      await store.effects.restart(key, clock.now());
      return perform(key, spec);
    },
  };
}

/** The target answered and refused (4xx, the evidence's status: HTTP or an SMTP reply): it did not act. */
function refusedByTarget(error: unknown): error is RobotError {
  const status = error instanceof RobotError ? error.evidence?.status : undefined;
  return status !== undefined && status >= 400 && status < 500;
}
