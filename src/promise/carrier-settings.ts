/**
 * How a carrier's scans normally come, for verdicts: past `scanGapHours` without a scan a parcel
 * is at risk, past `lostAfterBusinessDays` it is suspected lost. Operators override them in the
 * rules file (`carriers:`), per carrier id or for `default`.
 */
export interface CarrierSettings {
  /** Hours on business days of the destination country (nights count, weekends and holidays do not). */
  scanGapHours: number;
  /** Business days of the destination country since the last scan's day. */
  lostAfterBusinessDays: number;
}

export type CarrierSettingsTable = Readonly<Record<string, CarrierSettings>>;

/** The key of the settings used for a carrier the table does not name. */
export const DEFAULT_CARRIER = 'default';

/**
 * Built-in defaults. Express networks scan at every hub and most parcels arrive within 1 to 3
 * days, so a day and a half of silence is already unusual; postal and relay networks scan less
 * (no scan between two platforms overnight, relay points scan on arrival only) and their own
 * investigations start later (Mondial Relay's after 10 calendar days: about 8 business days).
 */
export const DEFAULT_CARRIER_SETTINGS: CarrierSettingsTable = {
  laposte: { scanGapHours: 48, lostAfterBusinessDays: 5 },
  dhl: { scanGapHours: 48, lostAfterBusinessDays: 5 },
  ups: { scanGapHours: 36, lostAfterBusinessDays: 4 },
  fedex: { scanGapHours: 36, lostAfterBusinessDays: 4 },
  'relay-portal': { scanGapHours: 72, lostAfterBusinessDays: 8 },
  [DEFAULT_CARRIER]: { scanGapHours: 72, lostAfterBusinessDays: 7 },
};

/**
 * The settings of one carrier: its override, else its built-in default, else the `default`
 * override, else the built-in `default`. An override may give one field; the other comes from
 * the same chain.
 */
export function carrierSettings(carrier: string, overrides: Readonly<Record<string, Partial<CarrierSettings>>> = {}): CarrierSettings {
  const own = Object.hasOwn(overrides, carrier) ? overrides[carrier] : undefined;
  const builtIn = Object.hasOwn(DEFAULT_CARRIER_SETTINGS, carrier) ? DEFAULT_CARRIER_SETTINGS[carrier] : undefined;
  const fallback = { ...DEFAULT_CARRIER_SETTINGS[DEFAULT_CARRIER], ...overrides[DEFAULT_CARRIER] } as CarrierSettings;
  return { ...fallback, ...builtIn, ...own };
}
