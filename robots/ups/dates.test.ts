import { describe, expect, it } from 'vitest';
import { activityInstant, activityOffset, deliveryWindow } from './dates.ts';
import type { UpsActivity } from './payload.ts';

const activity = (fields: Partial<UpsActivity>): UpsActivity => ({ date: '20240710', time: '163000', status: { type: 'I' }, ...fields });

describe('activity instants', () => {
  it.each<[string, Partial<UpsActivity>, string]>([
    ['the sent offset', { gmtOffset: '+02:00', gmtDate: '20240710', gmtTime: '143000' }, '2024-07-10T16:30:00+02:00'],
    ['a sent offset without colon', { gmtOffset: '-0500' }, '2024-07-10T16:30:00-05:00'],
    ['an offset from local minus GMT', { gmtDate: '20240710', gmtTime: '203000' }, '2024-07-10T16:30:00-04:00'],
    ['an offset across midnight', { date: '20240711', time: '013000', gmtDate: '20240710', gmtTime: '233000' }, '2024-07-11T01:30:00+02:00'],
    ['a half-hour offset', { gmtDate: '20240710', gmtTime: '110000' }, '2024-07-10T16:30:00+05:30'],
    ['seconds of drift rounded to the quarter hour', { gmtDate: '20240710', gmtTime: '143012' }, '2024-07-10T16:30:00+02:00'],
    ['an unpadded GMT time (the OpenAPI\'s "74700")', { date: '20240710', time: '094700', gmtDate: '20240710', gmtTime: '74700' }, '2024-07-10T09:47:00+02:00'],
    ['a GMT time with colons', { gmtDate: '20240710', gmtTime: '14:30:00' }, '2024-07-10T16:30:00+02:00'],
    ['UTC when UPS gives no GMT field (the official sample)', {}, '2024-07-10T16:30:00+00:00'],
    ['UTC when only the GMT date is given', { gmtDate: '20240710' }, '2024-07-10T16:30:00+00:00'],
    ['UTC when the GMT fields are more than 14 hours away', { gmtDate: '20240712', gmtTime: '163000' }, '2024-07-10T16:30:00+00:00'],
  ])('uses %s', (_, fields, iso) => {
    expect(activityInstant(activity(fields))).toBe(iso);
    expect(Number.isNaN(Date.parse(iso))).toBe(false);
  });

  it('says when it knows no offset, so the estimate does not invent one', () => {
    expect(activityOffset(activity({}))).toBeUndefined();
    expect(activityOffset(activity({ gmtOffset: '+01:00' }))).toBe('+01:00');
  });
});

describe('deliveryWindow', () => {
  it.each([
    ['no delivery time: the whole day', undefined, { from: '2024-07-11T00:00:00+02:00', to: '2024-07-11T23:59:59+02:00' }],
    ['end of day: the whole day', { type: 'EOD' }, { from: '2024-07-11T00:00:00+02:00', to: '2024-07-11T23:59:59+02:00' }],
    ['an estimated window', { type: 'EDW', startTime: '120000', endTime: '160000' }, { from: '2024-07-11T12:00:00+02:00', to: '2024-07-11T16:00:00+02:00' }],
    ['a confirmed window', { type: 'CDW', startTime: '090000', endTime: '110000' }, { from: '2024-07-11T09:00:00+02:00', to: '2024-07-11T11:00:00+02:00' }],
    ['an imminent window', { type: 'IDW', startTime: '143000', endTime: '153000' }, { from: '2024-07-11T14:30:00+02:00', to: '2024-07-11T15:30:00+02:00' }],
    ['a commit time: by that time', { type: 'CMT', endTime: '103000' }, { from: '2024-07-11T00:00:00+02:00', to: '2024-07-11T10:30:00+02:00' }],
    ['a window without its start: the whole day', { type: 'EDW', endTime: '160000' }, { from: '2024-07-11T00:00:00+02:00', to: '2024-07-11T23:59:59+02:00' }],
    ['a delivered time (no estimate): the whole day', { type: 'DEL', endTime: '163000' }, { from: '2024-07-11T00:00:00+02:00', to: '2024-07-11T23:59:59+02:00' }],
  ])('reads %s', (_, time, window) => {
    expect(deliveryWindow('20240711', '+02:00', time)).toEqual(window);
  });
});
