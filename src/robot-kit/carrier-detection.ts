import type { RobotRegistry } from './registry.ts';
import type { FormatMatch } from './tracking-formats.ts';

export interface CarrierCandidate extends FormatMatch {
  carrier: string;
}

const CHECK_DIGIT_RANK: Record<FormatMatch['checkDigit'], number> = { valid: 0, none: 1, invalid: 2 };

/**
 * The carriers a number can belong to, best first: a format whose check digit holds beats one
 * without a check digit, which beats one whose check digit fails (likely a typo).
 */
export function detectCarriers(registry: RobotRegistry, trackingNumber: string): CarrierCandidate[] {
  const candidates = registry
    .trackers()
    .flatMap((robot) => (robot.recognize?.(trackingNumber) ?? []).map((match) => ({ carrier: robot.id, ...match })));
  // Array.prototype.sort is stable: equal ranks keep the registry's order.
  return candidates.sort((a, b) => CHECK_DIGIT_RANK[a.checkDigit] - CHECK_DIGIT_RANK[b.checkDigit]);
}

/** Why a number cannot be tracked without naming a carrier, or null with the carrier to ask. */
export function pickCarrier(candidates: readonly CarrierCandidate[]): { carrier: string } | { problem: string } {
  const best = candidates[0];
  if (!best) return { problem: 'matches no known tracking-number format' };
  if (best.checkDigit === 'invalid') {
    const formats = [...new Set(candidates.map((candidate) => `${candidate.format} (${candidate.carrier})`))].join(', ');
    return { problem: `looks like ${formats} but its check digit is wrong: check for a typo` };
  }
  return { carrier: best.carrier };
}
