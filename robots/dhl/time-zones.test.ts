import { describe, expect, it } from 'vitest';
import { FALLBACK_TIME_ZONE, timeZoneFor } from './time-zones.ts';

describe('the zone of a timestamp without one', () => {
  it.each([
    // 1. the place the timestamp is about
    ['GB', { service: 'parcel-de', originCountry: 'DE', destinationCountry: 'GB' }, 'Europe/London'],
    ['fr', { service: 'express' }, 'Europe/Paris'],
    // 2. the service's home country, when the place names none or spans several legal times
    [undefined, { service: 'parcel-de', originCountry: 'FR', destinationCountry: 'GB' }, 'Europe/Berlin'],
    ['US', { service: 'parcel-nl', destinationCountry: 'US' }, 'Europe/Amsterdam'],
    [undefined, { service: 'parcel-uk', destinationCountry: 'DE' }, 'Europe/London'],
    [undefined, { service: 'parcel-pl' }, 'Europe/Warsaw'],
    [undefined, { service: 'post-de' }, 'Europe/Berlin'],
    // 3. the destination, then the origin
    [undefined, { service: 'express', originCountry: 'HK', destinationCountry: 'FR' }, 'Europe/Paris'],
    [undefined, { service: 'express', originCountry: 'HK', destinationCountry: 'US' }, 'Asia/Hong_Kong'],
    ['ES', { service: 'freight', originCountry: 'ES', destinationCountry: 'IT' }, 'Europe/Rome'],
    // 4. UTC when nothing known keeps one legal time
    [undefined, { service: 'express', originCountry: 'US', destinationCountry: 'CA' }, FALLBACK_TIME_ZONE],
    ['PT', { originCountry: 'BR', destinationCountry: 'ES' }, FALLBACK_TIME_ZONE],
    [undefined, {}, FALLBACK_TIME_ZONE],
    ['__proto__', { service: 'constructor' }, FALLBACK_TIME_ZONE],
  ] as const)('about %s in %j: %s', (place, shipment, zone) => {
    expect(timeZoneFor(place, shipment)).toBe(zone);
  });

  it('falls back to UTC', () => {
    expect(FALLBACK_TIME_ZONE).toBe('UTC');
  });
});
