import type { CompensationCap } from './claim-windows.ts';

/** What a claim asks for, and the carrier's cap behind it when there is one. */
export interface ClaimAmount {
  /** What is claimed: `asked`, at most the cap when the cap applies. */
  amount: number;
  currency: string;
  /** What the claim was worked out from: the rule's `amount` (the amount at stake), else the parcel's declared value. */
  asked: number;
  askedFrom: 'declared value' | 'amount at stake';
  cap?: {
    rule: CompensationCap;
    /** `capped`: the cap lowered the amount; `within`: the amount is under it; `not_applied`: see `note`. */
    outcome: 'capped' | 'within' | 'not_applied';
    /** A sentence for the agent and the evidence pack: what the cap did, or why it could not be applied. */
    note: string;
  };
}

/**
 * The amount a claim asks for: `asked`, at most the carrier's cap. Pure. A cap is applied only
 * when parcelbot can work it out exactly; otherwise the claim asks `asked` and says why, and the
 * carrier applies its own cap (asking more than a carrier pays costs nothing, asking less loses
 * money for good):
 * - a cap per kg needs the parcel's weight, which shipments do not carry;
 * - a cap in another currency than the claim's is not converted (no exchange rate parcelbot could
 *   source and date; the carrier converts at its own rate).
 * Shipments carry no insurance: an insured parcel's claim is capped all the same, unless the
 * merchant's claim windows file removes or raises the cap.
 */
export function claimAmountOf(asked: number, askedFrom: ClaimAmount['askedFrom'], currency: string, carrier: string, cap: CompensationCap | undefined): ClaimAmount {
  const claim = { amount: asked, currency, asked, askedFrom };
  if (!cap) return claim;
  const limit = `${carrier}'s cap of ${money(cap.max, cap.currency)} per ${cap.per}`;
  if (cap.per === 'kg') {
    return { ...claim, cap: { rule: cap, outcome: 'not_applied', note: `${limit} not applied: parcelbot does not know the parcel's weight; ${carrier} applies it from the weight it recorded` } };
  }
  if (cap.currency !== currency) {
    return { ...claim, cap: { rule: cap, outcome: 'not_applied', note: `${limit} not applied: the claim is in ${currency} and parcelbot converts no currency; ${carrier} converts at its own rate` } };
  }
  if (asked <= cap.max) return { ...claim, cap: { rule: cap, outcome: 'within', note: `within ${limit}` } };
  return { ...claim, amount: cap.max, cap: { rule: cap, outcome: 'capped', note: `the ${askedFrom} of ${money(asked, currency)} capped at ${limit}` } };
}

/** `25.00 EUR`, or `25.00 EUR (the declared value of 400.00 EUR capped at relay-portal's cap...)` when a cap lowered it or could not be applied. */
export function describeAmount(claim: ClaimAmount): string {
  const amount = money(claim.amount, claim.currency);
  return claim.cap && claim.cap.outcome !== 'within' ? `${amount} (${claim.cap.note})` : amount;
}

export function money(amount: number, currency: string | undefined): string {
  return `${amount.toFixed(2)} ${currency ?? ''}`.trim();
}
