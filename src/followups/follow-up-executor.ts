import type { Logger } from 'pino';
import type { FollowUpKind, FollowUpState } from '../domain/follow-up.ts';
import type { Shipment } from '../domain/shipment.ts';
import type { Clock } from '../infra/clock.ts';
import type { Robot } from '../robot-kit/define-robot.ts';
import type { Store } from '../store/store.ts';

/** A follow-up as stored (src/followups/ owns the table): one per shipment, kind, rule and parameters. */
export interface FollowUp {
  /** Deterministic: the same decision for the same shipment always gets the same id (and BullMQ job id). */
  id: string;
  shipmentId: number;
  kind: FollowUpKind;
  state: FollowUpState;
  ruleId: string;
  params: Readonly<Record<string, unknown>>;
  /** The deciding rule's sentence (Decision.reason): why, as a manager reads it; sent along where a target takes a reason. */
  reason: string;
  /** When it is due (ISO 8601). */
  dueAt: string;
  createdAt: string;
}

/**
 * An external effect (an OMS call, a refund, an e-mail, a label...) done at most once per key.
 * The key is recorded as `started` before the call and `done` with its result after it, so:
 * - a key already `done` returns the recorded result without calling again;
 * - a key `started` but never `done` (a crash between the call and the record) runs `reconcile`
 *   when the target can say whether the effect happened (look the refund up, ask the OMS by
 *   idempotency key) and returns what it found; when the target takes an idempotency key,
 *   `retrySafe: true` lets the call run again with the same key; otherwise the effect is NOT
 *   repeated: `once` throws EffectUncertainError and a manager checks by hand.
 */
export interface EffectLedger {
  once<T>(key: string, effect: EffectSpec<T>): Promise<T>;
}

export interface EffectSpec<T> {
  /** Which system is acted on (`oms`, `smtp`, `colissimo`, `mirakl`...): audit and metrics. */
  target: string;
  /** What is asked, kept with the effect and in the audit trail: no secrets, no customer personal data. */
  request?: Readonly<Record<string, unknown>>;
  /** The effect itself. Its result is stored as JSON and returned as such on a later `once`: plain data only. */
  call: () => Promise<T>;
  /** After a crash: the effect as the target knows it, or undefined when the target says it never happened (then it is called). */
  reconcile?: () => Promise<T | undefined>;
  retrySafe?: boolean;
}

/** What an executor is given: everything it may touch, injected. */
export interface ExecutorContext {
  shipment: Shipment;
  effects: EffectLedger;
  store: Store;
  robot(id: string): Robot;
  clock: Clock;
  logger: Logger;
}

/** What an executor reports; kept on the follow-up and in its audit trail. */
export interface ExecutionResult {
  /** A sentence for the audit trail: what was done. */
  summary: string;
  /** References the outside systems gave back (new order, claim reference, message id...). */
  references?: Readonly<Record<string, string>>;
}

/** One kind of follow-up carried out. Throw a RobotError for the runtime's retry policy to apply. */
export interface FollowUpExecutor {
  kind: FollowUpKind;
  execute(followUp: FollowUp, context: ExecutorContext): Promise<ExecutionResult>;
}
