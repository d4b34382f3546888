/**
 * Mirakl carrier codes -> the parcelbot robot that tracks that carrier's parcels. Each operator
 * registers its own carriers (`shipping_carrier_code`), so codes differ between instances; these
 * are the usual ones, compared without case, spaces, dashes or underscores. Mirakl's own
 * `shipping_carrier_standard_code` is tried when the operator's code is unknown, and
 * MIRAKL_CARRIER_CODES adds or replaces entries (`CODE=robot,...`). An unknown code is reported
 * with its order: a parcel is never given to a carrier by guess.
 */
const CARRIER_CODES: Readonly<Record<string, string>> = {
  // La Poste Suivi v2 tracks Colissimo, Chronopost and Lettre suivie numbers.
  LAPOSTE: 'laposte',
  COLISSIMO: 'laposte',
  CHRONOPOST: 'laposte',
  LETTRESUIVIE: 'laposte',
  // DHL Shipment Tracking – Unified covers DHL Parcel, Express and Deutsche Post.
  DHL: 'dhl',
  DHLPARCEL: 'dhl',
  DHLEXPRESS: 'dhl',
  DEUTSCHEPOST: 'dhl',
  // UPS Track API v1.
  UPS: 'ups',
  // FedEx Track API v1.
  FEDEX: 'fedex',
  FEDEXEXPRESS: 'fedex',
};

export function normalizeCarrierCode(code: string): string {
  return code.toUpperCase().replace(/[\s_-]+/g, '');
}

/** `COLISPRIVE=laposte,GLS=dhl` -> overrides keyed by normalized code; throws naming the bad entry. */
export function parseCarrierOverrides(value: string): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const entry of value.split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = /^([^=\s]+)\s*=\s*([a-z][a-z0-9-]*)$/.exec(entry);
    if (!match) throw new Error(`"${entry.slice(0, 40)}" is not CODE=robot`);
    overrides[normalizeCarrierCode(match[1]!)] = match[2]!;
  }
  return overrides;
}

/** The robot id for an order's carrier codes, or undefined when neither code is known. */
export function carrierIdOf(codes: readonly (string | null | undefined)[], overrides: Readonly<Record<string, string>>): string | undefined {
  for (const code of codes) {
    if (!code) continue;
    const key = normalizeCarrierCode(code);
    if (Object.hasOwn(overrides, key)) return overrides[key];
    if (Object.hasOwn(CARRIER_CODES, key)) return CARRIER_CODES[key];
  }
  return undefined;
}
