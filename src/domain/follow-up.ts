/**
 * Follow-ups: what parcelbot does about a shipment once rules decided (domain.md, "Follow-up
 * actions"). Rules (src/rules/, pure) yield Decisions; src/followups/ turns each into one
 * idempotent, audited job.
 */
export const FOLLOW_UP_KINDS = ['reshipment', 'carrier_claim', 'return_label', 'customer_email', 'refund', 'manager_case'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

export const FOLLOW_UP_STATES = ['proposed', 'awaiting_approval', 'running', 'done', 'failed', 'cancelled'] as const;
export type FollowUpState = (typeof FOLLOW_UP_STATES)[number];

/** A decision that is not a follow-up: track this shipment again at `at`. */
export const CHECK_ACTION = 'check';
export type DecisionAction = FollowUpKind | typeof CHECK_ACTION;

/** What a rule decided for one shipment. Pure data: evaluating rules never does I/O. */
export interface Decision {
  /** The rule that decided, by its id in the rules file. */
  ruleId: string;
  action: DecisionAction;
  /** The follow-up's parameters (template, claim type, reason...), as the rule wrote them. */
  params: Readonly<Record<string, unknown>>;
  /** When to act: an ISO 8601 instant; absent means now. */
  at?: string;
  /** Why, in a sentence a manager reads in the audit trail. */
  reason: string;
}
