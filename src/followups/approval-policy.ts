import type { FollowUpKind } from '../domain/follow-up.ts';
import type { Shipment } from '../domain/shipment.ts';

/**
 * Kinds that never wait for a manager: an e-mail and a manager case spend no money, and a return
 * label brings goods back for the price of a label. Reshipments, refunds and claims are approved
 * by a manager when the value at stake is above the threshold, or unknown.
 */
const NEVER_NEEDS_APPROVAL: readonly FollowUpKind[] = ['customer_email', 'manager_case', 'return_label'];

export interface Stake {
  value?: number;
  currency?: string;
}

export interface ApprovalDecision {
  required: boolean;
  /** For the audit trail. */
  why: string;
}

/** The money at stake: the decision's `amount` (a partial refund) when it gives one, else the order's declared value. */
export function stakeOf(shipment: Shipment, params: Readonly<Record<string, unknown>>): Stake {
  const amount = typeof params.amount === 'number' && Number.isFinite(params.amount) && params.amount >= 0 ? params.amount : undefined;
  const currency = typeof params.currency === 'string' ? params.currency : shipment.currency;
  return { value: amount ?? shipment.declaredValue, currency };
}

/** The threshold is compared with the amount in the order's own currency (FOLLOWUP_APPROVAL_ABOVE). */
export function approvalFor(kind: FollowUpKind, stake: Stake, threshold: number): ApprovalDecision {
  if (NEVER_NEEDS_APPROVAL.includes(kind)) return { required: false, why: `a ${kind.replace(/_/g, ' ')} needs no approval` };
  if (stake.value === undefined) return { required: true, why: 'the value at stake is unknown' };
  const amount = `${stake.value.toFixed(2)}${stake.currency ? ` ${stake.currency}` : ''}`;
  return stake.value > threshold
    ? { required: true, why: `${amount} is above the approval threshold of ${threshold}` }
    : { required: false, why: `${amount} is within the approval threshold of ${threshold}` };
}
