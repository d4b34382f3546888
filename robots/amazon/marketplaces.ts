/**
 * Amazon marketplaces by id: the channel a shipment gets (`amazon:fr`) and the zone its promised
 * instants are read in (a `LatestDeliveryDate` is the end of a day where the buyer lives). The
 * United States span several zones: Los Angeles' is used, as its end of day is the latest.
 */
const MARKETPLACES: Readonly<Record<string, { code: string; timeZone: string }>> = {
  A13V1IB3VIYZZH: { code: 'fr', timeZone: 'Europe/Paris' },
  A1PA6795UKMFR9: { code: 'de', timeZone: 'Europe/Berlin' },
  A1RKKUPIHCS9HS: { code: 'es', timeZone: 'Europe/Madrid' },
  APJ6JRA9NG5V4: { code: 'it', timeZone: 'Europe/Rome' },
  A1F83G8C2ARO7P: { code: 'uk', timeZone: 'Europe/London' },
  A1805IZSGTT6HS: { code: 'nl', timeZone: 'Europe/Amsterdam' },
  AMEN7PMS3EDWL: { code: 'be', timeZone: 'Europe/Brussels' },
  A2NODRKZP88ZB9: { code: 'se', timeZone: 'Europe/Stockholm' },
  A1C3SOZRARQ6R3: { code: 'pl', timeZone: 'Europe/Warsaw' },
  ATVPDKIKX0DER: { code: 'us', timeZone: 'America/Los_Angeles' },
};

/** Amazon.fr: parcelbot's merchants sell in France first. */
export const DEFAULT_MARKETPLACE_ID = 'A13V1IB3VIYZZH';

export function marketplaceOf(id: string | undefined): { code: string; timeZone: string } {
  if (id !== undefined && Object.hasOwn(MARKETPLACES, id)) return MARKETPLACES[id]!;
  return { code: (id ?? 'unknown').toLowerCase(), timeZone: 'UTC' };
}
