import { describeCharacter } from './plain-text.ts';

/** The longest number any carrier issues (FedEx 34 digits) with room to spare. */
export const TRACKING_NUMBER_MAX = 40;

/**
 * What people paste: spaces and dashes between groups, lower case. Only a-z is raised: Unicode
 * upper-casing turns look-alikes into ASCII ("ı" into "I", "ﬁ" into "FI"), and a number read
 * from a look-alike is not the number on the label.
 */
export function normalizeTrackingNumber(raw: string): string {
  return raw.replace(/[\s-]+/g, '').replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

/** Why a normalized number cannot be any carrier's, or null. Echoes at most one character of the input: it may be anything. */
export function checkTrackingNumberShape(trackingNumber: string): string | null {
  if (trackingNumber.length === 0) return 'expected a tracking number, got nothing';
  if (trackingNumber.length > TRACKING_NUMBER_MAX) return `expected at most ${TRACKING_NUMBER_MAX} characters, got ${trackingNumber.length}`;
  const other = /[^A-Z0-9]/u.exec(trackingNumber);
  if (!other) return null;
  const found = `found ${describeCharacter(other[0])} at position ${other.index + 1}`;
  // Beyond ASCII: a look-alike (Cyrillic А, fullwidth ６) or an invisible character, pasted with the number.
  return other[0].charCodeAt(0) > 0x7e ? `expected letters A-Z and digits only, ${found}: type the number rather than paste it` : `expected letters A-Z and digits only, ${found}`;
}
