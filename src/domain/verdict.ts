/**
 * How a shipment stands against what the customer was promised (domain.md, "Promises and
 * verdicts"). Computed by pure code (src/promise/) from the shipment, its events and "now".
 */
export const VERDICTS = [
  'on_time',
  'at_risk',
  'late',
  'lost_suspected',
  'delivered_on_time',
  'delivered_late',
  'delivered_twice',
  'returned',
  'cancelled',
  'unknown',
] as const;

export type Verdict = (typeof VERDICTS)[number];

export function isVerdict(value: string): value is Verdict {
  return (VERDICTS as readonly string[]).includes(value);
}
