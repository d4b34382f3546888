import { describe, expect, it } from 'vitest';
import { isIsoInstant, offsetOfInstant } from './iso-instant.ts';

describe('isIsoInstant', () => {
  it.each(['2024-07-09T18:00:00+02:00', '2024-07-09T18:00+02:00', '2024-02-29T23:59:59.999Z', '2024-07-09T18:00:00.123456789-04:00', '2024-07-09T00:00:00+14:00'])('takes %s', (value) => {
    expect(isIsoInstant(value)).toBe(true);
  });

  it.each([
    '2024-07-09T18:00:00', // no offset
    '2024-07-09',
    '2024-02-30T10:00:00Z',
    '2023-02-29T10:00:00Z',
    '2024-13-01T10:00:00Z',
    '2024-07-09T24:00:00Z',
    '2024-07-09T23:60:00Z',
    '2024-07-09T23:59:60Z',
    '2024-07-09T18:00:00+24:00',
    '2024-07-09T18:00:00+01:60',
    '2024-07-09T18:00:00+0100',
    ' 2024-07-09T18:00:00Z',
  ])('refuses %j', (value) => {
    expect(isIsoInstant(value)).toBe(false);
  });
});

describe('offsetOfInstant', () => {
  it.each([
    ['2024-07-09T18:00:00+02:00', '+02:00'],
    ['2024-07-09T18:00-04:00', '-04:00'],
    ['2024-07-09T18:00:00.5Z', 'Z'],
    ['2024-07-09T18:00:00', undefined],
  ])('%s ends with %s', (value, offset) => {
    expect(offsetOfInstant(value)).toBe(offset);
  });
});
