import { describe, expect, it } from 'vitest';
import { dayOrInstant, readWindow, withOffset } from './dates.ts';

describe('FedEx dates', () => {
  it.each([
    ['2024-08-21T00:00:00-06:00', { from: '2024-08-21T00:00:00-06:00', to: '2024-08-21T23:59:59-06:00' }],
    ['2024-08-21T00:00:00.000Z', { from: '2024-08-21T00:00:00.000Z', to: '2024-08-21T23:59:59Z' }],
    ['2024-04-25T10:30:00-07:00', { from: '2024-04-25T10:30:00-07:00', to: '2024-04-25T10:30:00-07:00' }],
  ])('reads %s as %j', (iso, window) => {
    expect(dayOrInstant(iso)).toEqual(window);
  });

  it('keeps an offset, lends one to a local time, and drops a local time it cannot place', () => {
    expect(withOffset('2024-03-14T08:00:00+01:00', '-05:00')).toBe('2024-03-14T08:00:00+01:00');
    expect(withOffset('2024-03-14T08:00:00', '-05:00')).toBe('2024-03-14T08:00:00-05:00');
    expect(withOffset('2024-03-14T08:00:00', undefined)).toBeUndefined();
    expect(withOffset(undefined, '-05:00')).toBeUndefined();
  });

  it.each([
    [undefined, undefined, '-05:00', undefined],
    ['2021-10-01T08:00:00', '2021-10-15T00:00:00-06:00', undefined, { from: '2021-10-01T08:00:00-06:00', to: '2021-10-15T23:59:59-06:00' }],
    ['2024-03-14T10:00:00-04:00', '2024-03-14T14:00:00-04:00', undefined, { from: '2024-03-14T10:00:00-04:00', to: '2024-03-14T14:00:00-04:00' }],
    [undefined, '2024-04-26T00:00:00-06:00', undefined, { from: '2024-04-26T00:00:00-06:00', to: '2024-04-26T23:59:59-06:00' }],
    ['2024-03-14T08:00:00', '2024-03-14T12:00:00', '-04:00', { from: '2024-03-14T08:00:00-04:00', to: '2024-03-14T12:00:00-04:00' }],
    ['2024-03-14T08:00:00', '2024-03-14T12:00:00', undefined, undefined],
  ])('reads the window %s .. %s (fallback %s) as %j', (begins, ends, fallback, window) => {
    expect(readWindow(begins, ends, fallback)).toEqual(window);
  });
});
