/** The longest number any carrier issues (FedEx 34 digits) with room to spare. */
export const TRACKING_NUMBER_MAX = 40;

/** What people paste: spaces and dashes between groups, lower case. */
export function normalizeTrackingNumber(raw: string): string {
  return raw.replace(/[\s-]+/g, '').toUpperCase();
}

/** Why a normalized number cannot be any carrier's, or null. Never echoes the input: it may be anything. */
export function checkTrackingNumberShape(trackingNumber: string): string | null {
  if (trackingNumber.length === 0) return 'expected a tracking number, got nothing';
  if (trackingNumber.length > TRACKING_NUMBER_MAX) return `expected at most ${TRACKING_NUMBER_MAX} characters, got ${trackingNumber.length}`;
  if (!/^[A-Z0-9]+$/.test(trackingNumber)) return 'expected letters A-Z and digits only';
  return null;
}
