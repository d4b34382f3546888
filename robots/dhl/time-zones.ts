/**
 * Which time zone a DHL timestamp without a zone was written in. DHL does not say (carrier-apis.md
 * 3.8: parcel-de writes `2023-03-13T09:50:00`), so the robot decides, in this order:
 *
 *   1. the country of the place the timestamp is about (an event's `location`, the destination
 *      for estimates and the proof of delivery), when that country keeps one legal time;
 *   2. the home country of the DHL service that answered (parcel-de and post-de: Germany,
 *      parcel-nl, parcel-pl, parcel-uk): those national systems write their own local time;
 *   3. the shipment's destination country, then its origin country, when it keeps one legal time;
 *   4. UTC, when none of these is known or every known one spans several legal times
 *      (United States, Spain with the Canaries, Portugal with the Azores...).
 *
 * A timestamp that carries its own offset (express, ecommerce) is never moved.
 */

/**
 * Countries that keep one legal time everywhere, with its IANA zone: the countries parcels to and
 * from France mostly cross. A country missing here (or spanning several legal times) is skipped.
 */
const SINGLE_TIME_COUNTRIES: Readonly<Record<string, string>> = {
  AD: 'Europe/Andorra', AE: 'Asia/Dubai', AL: 'Europe/Tirane', AR: 'America/Argentina/Buenos_Aires', AT: 'Europe/Vienna',
  BA: 'Europe/Sarajevo', BE: 'Europe/Brussels', BG: 'Europe/Sofia', BH: 'Asia/Bahrain', BY: 'Europe/Minsk',
  CH: 'Europe/Zurich', CN: 'Asia/Shanghai', CO: 'America/Bogota', CR: 'America/Costa_Rica', CY: 'Asia/Nicosia',
  CZ: 'Europe/Prague', DE: 'Europe/Berlin', DK: 'Europe/Copenhagen', DZ: 'Africa/Algiers', EE: 'Europe/Tallinn',
  EG: 'Africa/Cairo', FI: 'Europe/Helsinki', FO: 'Atlantic/Faroe', FR: 'Europe/Paris', GB: 'Europe/London',
  GH: 'Africa/Accra', GI: 'Europe/Gibraltar', GR: 'Europe/Athens', HK: 'Asia/Hong_Kong', HR: 'Europe/Zagreb',
  HU: 'Europe/Budapest', IE: 'Europe/Dublin', IL: 'Asia/Jerusalem', IN: 'Asia/Kolkata', IS: 'Atlantic/Reykjavik',
  IT: 'Europe/Rome', JO: 'Asia/Amman', JP: 'Asia/Tokyo', KE: 'Africa/Nairobi', KR: 'Asia/Seoul',
  KW: 'Asia/Kuwait', LB: 'Asia/Beirut', LI: 'Europe/Vaduz', LT: 'Europe/Vilnius', LU: 'Europe/Luxembourg',
  LV: 'Europe/Riga', MA: 'Africa/Casablanca', MC: 'Europe/Monaco', MD: 'Europe/Chisinau', ME: 'Europe/Podgorica',
  MK: 'Europe/Skopje', MT: 'Europe/Malta', MY: 'Asia/Kuala_Lumpur', NG: 'Africa/Lagos', NL: 'Europe/Amsterdam',
  NO: 'Europe/Oslo', OM: 'Asia/Muscat', PE: 'America/Lima', PH: 'Asia/Manila', PL: 'Europe/Warsaw',
  QA: 'Asia/Qatar', RO: 'Europe/Bucharest', RS: 'Europe/Belgrade', SA: 'Asia/Riyadh', SE: 'Europe/Stockholm',
  SG: 'Asia/Singapore', SI: 'Europe/Ljubljana', SK: 'Europe/Bratislava', SM: 'Europe/San_Marino', TH: 'Asia/Bangkok',
  TN: 'Africa/Tunis', TR: 'Europe/Istanbul', TW: 'Asia/Taipei', UA: 'Europe/Kyiv', VA: 'Europe/Vatican',
  VN: 'Asia/Ho_Chi_Minh', ZA: 'Africa/Johannesburg',
};

/** The country whose national system answers for a DHL service (carrier-apis.md 3.2 service list). */
const SERVICE_HOME_COUNTRIES: Readonly<Record<string, string>> = {
  'parcel-de': 'DE',
  'post-de': 'DE',
  'parcel-nl': 'NL',
  'parcel-pl': 'PL',
  'parcel-uk': 'GB',
};

export const FALLBACK_TIME_ZONE = 'UTC';

/** What is known about where a shipment's timestamps were written. */
export interface ShipmentPlaces {
  service?: string;
  originCountry?: string;
  destinationCountry?: string;
}

/** The zone a zone-less timestamp about `placeCountry` is read in (rule at the top of this file). */
export function timeZoneFor(placeCountry: string | undefined, shipment: ShipmentPlaces): string {
  const serviceCountry = shipment.service !== undefined && Object.hasOwn(SERVICE_HOME_COUNTRIES, shipment.service) ? SERVICE_HOME_COUNTRIES[shipment.service] : undefined;
  for (const country of [placeCountry, serviceCountry, shipment.destinationCountry, shipment.originCountry]) {
    const zone = country === undefined ? undefined : singleTimeZoneOf(country);
    if (zone !== undefined) return zone;
  }
  return FALLBACK_TIME_ZONE;
}

function singleTimeZoneOf(country: string): string | undefined {
  const code = country.toUpperCase();
  return Object.hasOwn(SINGLE_TIME_COUNTRIES, code) ? SINGLE_TIME_COUNTRIES[code] : undefined;
}
