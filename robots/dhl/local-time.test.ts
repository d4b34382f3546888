import { describe, expect, it } from 'vitest';
import { atTimeOfDay, readTimestamp, toIsoWithOffset } from './local-time.ts';

function iso(value: string, timeZone: string): string | undefined {
  const timestamp = readTimestamp(value);
  return timestamp && toIsoWithOffset(timestamp, timeZone);
}

describe('DHL timestamps', () => {
  it.each([
    // zone-less wall time gets the offset of its zone at that date
    ['2023-03-13T09:50:00', 'Europe/Berlin', '2023-03-13T09:50:00+01:00'],
    ['2023-07-13T09:50:00', 'Europe/Berlin', '2023-07-13T09:50:00+02:00'],
    ['2023-03-13T09:50:00', 'Europe/London', '2023-03-13T09:50:00+00:00'],
    ['2023-03-13T09:50:00', 'Asia/Kolkata', '2023-03-13T09:50:00+05:30'],
    ['2023-03-13T09:50:00', 'UTC', '2023-03-13T09:50:00+00:00'],
    ['2023-03-13T09:50', 'Europe/Paris', '2023-03-13T09:50:00+01:00'],
    ['2023-03-13', 'Europe/Paris', '2023-03-13T00:00:00+01:00'],
    ['2023-03-13T09:50:00.5', 'Europe/Paris', '2023-03-13T09:50:00.500+01:00'],
    // the autumn hour that happens twice reads as the later one; a skipped spring time keeps winter's offset
    ['2023-10-29T02:30:00', 'Europe/Berlin', '2023-10-29T02:30:00+01:00'],
    ['2023-03-26T02:30:00', 'Europe/Berlin', '2023-03-26T02:30:00+01:00'],
    // before standard time, Berlin kept local mean time (+00:53:28): an offset is whole minutes
    ['1111-11-11T11:11:11', 'Europe/Berlin', '1111-11-11T11:11:11+00:53'],
    // a timestamp with its own zone is never moved
    ['2018-03-02T07:53:47Z', 'Europe/Berlin', '2018-03-02T07:53:47Z'],
    ['2023-03-13T09:50:00+05:30', 'Europe/Berlin', '2023-03-13T09:50:00+05:30'],
    ['2023-03-13T09:50:00+0530', 'Europe/Berlin', '2023-03-13T09:50:00+05:30'],
    ['2023-03-13T09:50:00-03', 'Europe/Berlin', '2023-03-13T09:50:00-03:00'],
    // eCommerce nanoseconds are cut to milliseconds
    ['2023-11-21T15:27:20.331986369+01:00', 'UTC', '2023-11-21T15:27:20.331+01:00'],
  ])('%s in %s reads %s', (value, timeZone, expected) => {
    const result = iso(value, timeZone);
    expect(result).toBe(expected);
    expect(Number.isNaN(Date.parse(result!))).toBe(false);
  });

  it.each(['', '13.03.2023 09:50', '2023-03-13 09:50:00', '2017-20-10T09:00:00', '2023-02-30', '2023-03-13T25:00:00', '2023-03-13T09:50:00+1', '2023-03-13T09:50:00+31:00', '2023-03-13T09:50:00+01:75'])('refuses %j', (value) => {
    expect(readTimestamp(value)).toBeUndefined();
  });

  it('tells a bare day from a time', () => {
    expect(readTimestamp('2023-03-13')).toEqual({ date: '2023-03-13', time: '00:00:00', dateOnly: true });
    expect(readTimestamp('2023-03-13T00:00:00Z')).toEqual({ date: '2023-03-13', time: '00:00:00', zone: 'Z', dateOnly: false });
  });

  it('moves to another time of the same day, keeping the zone', () => {
    expect(toIsoWithOffset(atTimeOfDay(readTimestamp('2023-07-13')!, '23:59:59'), 'Europe/Paris')).toBe('2023-07-13T23:59:59+02:00');
    expect(toIsoWithOffset(atTimeOfDay(readTimestamp('2018-08-03T00:00:00Z')!, '23:59:59'), 'Europe/Paris')).toBe('2018-08-03T23:59:59Z');
  });
});
