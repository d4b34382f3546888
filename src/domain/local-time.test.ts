import { describe, expect, it } from 'vitest';
import { formatLocalDateTime, localDay } from './local-time.ts';

describe('local time for people', () => {
  it.each([
    ['2026-11-22T23:00:00.000Z', '2026-11-23 00:00'], // winter: UTC+1
    ['2026-07-01T22:30:00Z', '2026-07-02 00:30'], // summer: UTC+2
    ['2026-03-09T09:38:00+01:00', '2026-03-09 09:38'],
    ['2026-03-12', '2026-03-12'],
  ])('%s reads %s in Paris', (value, expected) => {
    expect(formatLocalDateTime(value)).toBe(expected);
  });

  it('gives the Paris day of an instant late in the UTC evening', () => {
    expect(localDay('2026-11-22T23:30:00Z')).toBe('2026-11-23');
  });
});
