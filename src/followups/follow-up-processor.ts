import type { Logger } from 'pino';
import type { FollowUpKind } from '../domain/follow-up.ts';
import type { Shipment } from '../domain/shipment.ts';
import type { Clock } from '../infra/clock.ts';
import type { Robot } from '../robot-kit/define-robot.ts';
import { RobotError } from '../robot-kit/robot-error.ts';
import type { StoredFollowUp } from '../store/follow-up-repository.ts';
import type { Store } from '../store/store.ts';
import { startClaim } from './claims/claim-guard.ts';
import { createEffectLedger } from './effect-ledger.ts';
import type { ExecutorRegistry } from './executor-registry.ts';
import { FollowUpDeferral } from './follow-up-errors.ts';
import { startRefund } from './refund-guard.ts';
import { startReshipment } from './reshipment-guard.ts';

export interface FollowUpRunDeps {
  store(): Promise<Store>;
  /** A follow-up reached done or failed: what waits for it goes on (FollowUps.settled). */
  settled(followUp: StoredFollowUp): Promise<void>;
  executors: ExecutorRegistry;
  robot(id: string): Robot;
  clock: Clock;
  logger: Logger;
}

export type FollowUpRun =
  | { outcome: 'done'; followUp: StoredFollowUp }
  /** Nothing to do: already done, failed or cancelled, or waiting for a manager; or cancelled now (a refund or reshipment of an order already refunded or reshipped). */
  | { outcome: 'skipped'; followUp: StoredFollowUp }
  /** Taken up before it is due (a job promoted by hand), or just put off (FollowUpDeferral, a claim of its parcel running): it goes back to wait. */
  | { outcome: 'not_due'; remainingMs: number };

const NOT_RUNNABLE = new Set(['done', 'failed', 'cancelled', 'awaiting_approval']);

type StartGuard = (store: Store, followUp: StoredFollowUp, shipment: Shipment, attempt: number, now: Date) => Promise<StoredFollowUp | undefined>;

/**
 * Kinds that start only after a look at their rivals, in one locked transaction. A refund or a
 * reshipment starts only if its order has no other (refund-guard.ts, reshipment-guard.ts); else
 * it is cancelled. A claim starts only if no other claim of its parcel is running (claim-guard.ts);
 * else it waits. Other kinds just start.
 */
const START_GUARDS: Partial<Record<FollowUpKind, StartGuard>> = { refund: startRefund, reshipment: startReshipment, carrier_claim: startClaim };

/**
 * One attempt at a follow-up: `running` (audited `started`, or `resumed` when an attempt or a
 * worker before this one got that far), the kind's executor with its context, then `done` with
 * the result. Failures are the caller's (follow-up-worker.ts).
 */
export async function runFollowUp(id: string, attempt: number, deps: FollowUpRunDeps): Promise<FollowUpRun> {
  const store = await deps.store();
  const found = await store.followUps.get(id);
  if (!found) throw new RobotError('FOLLOW_UP_INVALID', `no follow-up ${id} in the store`);
  if (NOT_RUNNABLE.has(found.state)) {
    // Settled by an attempt that stopped before telling what waits for it.
    if (found.state !== 'awaiting_approval') await deps.settled(found);
    return { outcome: 'skipped', followUp: found };
  }
  const remainingMs = new Date(found.dueAt).getTime() - deps.clock.now().getTime();
  if (remainingMs > 0) return { outcome: 'not_due', remainingMs };

  const executor = deps.executors.get(found.kind);
  const shipment = await store.shipments.get(found.shipmentId);
  if (!shipment) throw new RobotError('FOLLOW_UP_INVALID', `follow-up ${id}: its shipment ${found.shipmentId} is not in the store`);
  const logger = deps.logger.child({ followUpId: id, kind: found.kind, shipmentId: found.shipmentId });
  const guard = START_GUARDS[found.kind];
  const started = guard
    ? await guard(store, found, shipment, attempt, deps.clock.now())
    : await store.followUps.transition(id, { from: ['proposed'], to: 'running', audit: { actor: 'worker', event: 'started', details: { attempt } } }, deps.clock.now());
  if (started?.state === 'proposed') {
    logger.info({ until: started.dueAt }, 'follow-up deferred');
    return { outcome: 'not_due', remainingMs: Math.max(1, Date.parse(started.dueAt) - deps.clock.now().getTime()) };
  }
  if (started?.state === 'cancelled') {
    const audit = await store.followUps.audit(id);
    logger.info({ reason: audit.at(-1)?.details?.reason }, 'follow-up cancelled');
    await deps.settled(started);
    return { outcome: 'skipped', followUp: started };
  }
  const running = started ?? (await store.followUps.transition(id, { from: ['running'], to: 'running', audit: { actor: 'worker', event: 'resumed', details: { attempt } } }, deps.clock.now()));
  // A manager cancelled it between the read and now.
  if (!running) return { outcome: 'skipped', followUp: (await store.followUps.get(id)) ?? found };

  let result;
  try {
    result = await executor.execute(running, {
      shipment,
      effects: createEffectLedger(store, id, deps.clock),
      store,
      robot: deps.robot,
      clock: deps.clock,
      logger,
    });
  } catch (error) {
    if (error instanceof FollowUpDeferral) return defer(id, error, store, deps, logger);
    throw error;
  }
  const done = await store.followUps.transition(
    id,
    { from: ['running'], to: 'done', audit: { actor: 'worker', event: 'done', details: { ...result } }, result },
    deps.clock.now(),
  );
  if (!done) throw new Error(`follow-up ${id} left the running state while its executor ran`);
  logger.info({ summary: result.summary }, 'follow-up done');
  await deps.settled(done);
  return { outcome: 'done', followUp: done };
}

/**
 * The executor may not act before `deferral.until`: the follow-up goes back to `proposed`, due
 * then (audited `deferred`), and its job waits as for any follow-up not due yet; taken up again
 * when due, it runs from the start (`started`). No attempt is used.
 */
async function defer(id: string, deferral: FollowUpDeferral, store: Store, deps: FollowUpRunDeps, logger: Logger): Promise<FollowUpRun> {
  const until = deferral.until.toISOString();
  const audit = { actor: 'worker' as const, event: 'deferred', details: { until, why: deferral.why } };
  const deferred = await store.followUps.transition(id, { from: ['running'], to: 'proposed', audit, dueAt: until }, deps.clock.now());
  if (!deferred) throw new Error(`follow-up ${id} left the running state while its executor ran`);
  logger.info({ until, why: deferral.why }, 'follow-up deferred');
  return { outcome: 'not_due', remainingMs: Math.max(1, deferral.until.getTime() - deps.clock.now().getTime()) };
}

/** A failed attempt that will be tried again: in the audit trail, with the error. */
export async function recordAttempt(id: string, error: RobotError, retry: string, deps: Pick<FollowUpRunDeps, 'store' | 'clock'>): Promise<void> {
  const store = await deps.store();
  if (!(await store.followUps.get(id))) return;
  await store.followUps.note(id, { actor: 'worker', event: 'attempt_failed', details: { code: error.code, message: error.message, retry } }, deps.clock.now());
}

/**
 * No more attempts: the follow-up is `failed` with its error, and an exception in the manager
 * queue carries the error and its evidence (a second failure of the same follow-up opens none).
 */
export async function recordFailure(id: string, error: RobotError, deps: Pick<FollowUpRunDeps, 'store' | 'clock' | 'settled'>): Promise<void> {
  const store = await deps.store();
  const now = deps.clock.now();
  const lastError = { code: error.code, message: error.message };
  const failed = await store.followUps.transition(
    id,
    { from: ['proposed', 'running'], to: 'failed', audit: { actor: 'worker', event: 'failed', details: { ...lastError, evidence: error.evidence ?? null } }, lastError },
    now,
  );
  if (!failed) return;
  const shipment = await store.shipments.get(failed.shipmentId);
  await store.exceptions.open({
    carrier: shipment?.carrier ?? 'unknown',
    trackingNumber: shipment?.trackingNumber ?? `shipment ${failed.shipmentId}`,
    code: error.code,
    message: `${failed.kind.replace(/_/g, ' ')} failed: ${error.message}`,
    evidence: error.evidence,
    jobId: id,
    followUpId: id,
    openedAt: now,
  });
  await deps.settled(failed);
}
