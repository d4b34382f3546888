import { describe, expect, it } from 'vitest';
import { scan } from '../../fixtures/rules/testing.ts';
import type { TrackingEvent } from '../domain/tracking-event.ts';
import { carrierSettings } from './carrier-settings.ts';
import { computeVerdict, type VerdictResult } from './compute-verdict.ts';
import type { LinkedShipment, VerdictShipment } from './shipment-as-of.ts';

interface Case {
  label: string;
  now: string;
  shipment?: Partial<VerdictShipment>;
  /** Oldest first, as people write timelines; handed to computeVerdict newest first. */
  scans?: TrackingEvent[];
  reshipments?: LinkedShipment[];
  lostAfterBusinessDays?: number;
  expected: Partial<VerdictResult>;
  says?: RegExp;
}

// Promised by Friday 22 May 2026; Monday 25 May is Whit Monday, a public holiday in France.
const PROMISED_FRIDAY: Partial<VerdictShipment> = { promisedTo: '2026-05-22' };
const moving = [scan('2026-05-19T08:00:00+02:00', 'picked_up'), scan('2026-05-20T08:00:00+02:00')];

const cases: Case[] = [
  {
    label: 'on_time: promise ahead, scans regular',
    now: '2026-05-20T10:00:00+02:00',
    scans: moving,
    expected: { verdict: 'on_time', promisedBy: '2026-05-22', businessDaysSinceLastScan: 0 },
    says: /Promised by Friday 22 May 2026, not passed yet/,
  },
  {
    label: 'at_risk: the carrier expects to deliver after the promise',
    now: '2026-05-20T10:00:00+02:00',
    shipment: { estimatedFrom: '2026-05-26T08:00:00+02:00', estimatedTo: '2026-05-26T18:00:00+02:00' },
    scans: moving,
    expected: { verdict: 'at_risk' },
    says: /expects to deliver on Tuesday 26 May 2026, after the promise/,
  },
  {
    label: 'at_risk: no scan for longer than the carrier’s usual gap (74 business-day hours > 48)',
    now: '2026-05-21T10:00:00+02:00',
    scans: [scan('2026-05-18T08:00:00+02:00')],
    expected: { verdict: 'at_risk', businessDaysSinceLastScan: 3 },
    says: /No scan for 74 business-day hours, more than the 48 usual for laposte/,
  },
  {
    label: 'on_time: a weekend without scans is not a gap (Friday 18:00 to Monday 09:00 is 15 business-day hours)',
    now: '2026-05-18T09:00:00+02:00',
    shipment: { promisedTo: '2026-05-20' },
    scans: [scan('2026-05-15T18:00:00+02:00')],
    expected: { verdict: 'on_time', businessDaysSinceLastScan: 1 },
  },
  {
    label: 'at_risk: the carrier reports a failed attempt',
    now: '2026-05-20T10:00:00+02:00',
    shipment: { status: 'delivery_failed' },
    scans: [scan('2026-05-20T09:00:00+02:00', 'delivery_failed')],
    expected: { verdict: 'at_risk' },
    says: /reports a problem \(delivery_failed\)/,
  },
  {
    label: 'late: the Tuesday after Whit Monday is 1 business day after a Friday promise',
    now: '2026-05-26T09:00:00+02:00',
    scans: moving,
    expected: { verdict: 'late', businessDaysLate: 1, promisedBy: '2026-05-22' },
    says: /Promised by Friday 22 May 2026 and not delivered: 1 business day late/,
  },
  {
    label: 'on_time: 23:30 in Paris on the promised Friday is still the promised day (21:30 UTC)',
    now: '2026-05-22T21:30:00Z',
    scans: [scan('2026-05-22T09:00:00+02:00')],
    expected: { verdict: 'on_time' },
  },
  {
    label: 'late: 00:30 in Paris on Saturday, although still Friday in UTC; 0 business days late',
    now: '2026-05-22T22:30:00Z',
    scans: [scan('2026-05-22T09:00:00+02:00')],
    expected: { verdict: 'late', businessDaysLate: 0 },
  },
  {
    label: 'late across the change to summer time: Friday 27 March promised, Monday 08:30 summer time',
    now: '2026-03-30T06:30:00Z',
    shipment: { promisedTo: '2026-03-27' },
    scans: [scan('2026-03-27T10:00:00+01:00')],
    expected: { verdict: 'late', businessDaysLate: 1, businessDaysSinceLastScan: 1 },
  },
  {
    label: 'late in Germany: Thursday 2 April promised, Tuesday 7 April is 1 business day later (Good Friday, Easter Monday)',
    now: '2026-04-07T10:00:00+02:00',
    shipment: { destinationCountry: 'DE', promisedTo: '2026-04-02' },
    scans: [scan('2026-04-06T10:00:00+02:00')],
    expected: { verdict: 'late', businessDaysLate: 1 },
  },
  {
    label: 'late in France the same week: 2 business days (Good Friday is worked)',
    now: '2026-04-07T10:00:00+02:00',
    shipment: { promisedTo: '2026-04-02' },
    scans: [scan('2026-04-06T10:00:00+02:00')],
    expected: { verdict: 'late', businessDaysLate: 2 },
  },
  {
    label: 'lost_suspected: no scan for 5 business days (Ascension skipped), before the promise',
    now: '2026-05-19T10:00:00+02:00',
    scans: [scan('2026-05-11T08:00:00+02:00')],
    expected: { verdict: 'lost_suspected', businessDaysSinceLastScan: 5 },
    says: /No scan since Monday 11 May 2026: 5 business days, at least the 5 after which laposte parcels are suspected lost/,
  },
  {
    label: 'on_time, neither lost nor late: waiting at a pickup point since before the promise, a week without scans',
    now: '2026-06-03T10:00:00+02:00',
    shipment: { status: 'ready_for_pickup' },
    scans: [...moving, scan('2026-05-21T15:00:00+02:00', 'ready_for_pickup')],
    expected: { verdict: 'on_time', businessDaysSinceLastScan: 8 },
    says: /Waiting at the pickup point since Thursday 21 May 2026, promised by Friday 22 May 2026: made available in time, not collected yet/,
  },
  {
    label: 'late, not lost: made available at the pickup point after the promise, then a week without scans',
    now: '2026-06-03T10:00:00+02:00',
    shipment: { status: 'ready_for_pickup' },
    scans: [...moving, scan('2026-05-27T15:00:00+02:00', 'ready_for_pickup')],
    expected: { verdict: 'late', businessDaysLate: 7 },
  },
  {
    label: 'on_time at a pickup point without a promise: no scan gap while it waits there',
    now: '2026-05-21T10:00:00+02:00',
    shipment: { status: 'ready_for_pickup', promisedTo: undefined },
    scans: [scan('2026-05-18T08:00:00+02:00', 'ready_for_pickup')],
    expected: { verdict: 'on_time' },
  },
  {
    label: 'at_risk rather than lost when the operator allows 10 business days without a scan',
    now: '2026-05-19T10:00:00+02:00',
    scans: [scan('2026-05-11T08:00:00+02:00')],
    lostAfterBusinessDays: 10,
    expected: { verdict: 'at_risk' },
  },
  {
    label: 'lost_suspected before late: the carrier declared it lost',
    now: '2026-05-26T10:00:00+02:00',
    shipment: { status: 'lost' },
    scans: [scan('2026-05-26T08:00:00+02:00', 'lost')],
    expected: { verdict: 'lost_suspected' },
    says: /declared the parcel lost/,
  },
  {
    label: 'a label never handed over is not lost by the carrier: at_risk',
    now: '2026-05-20T10:00:00+02:00',
    shipment: { status: 'pending' },
    scans: [scan('2026-05-11T08:00:00+02:00', 'pending')],
    expected: { verdict: 'at_risk', businessDaysSinceLastScan: 6 },
    says: /label was created but the carrier has not scanned the parcel/,
  },
  {
    label: 'delivered_on_time: delivered on the promised Friday',
    now: '2026-05-26T10:00:00+02:00',
    shipment: { status: 'delivered', deliveredAt: '2026-05-22T17:00:00+02:00' },
    scans: [...moving, scan('2026-05-22T17:00:00+02:00', 'delivered')],
    expected: { verdict: 'delivered_on_time' },
    says: /Delivered on Friday 22 May 2026, promised by Friday 22 May 2026/,
  },
  {
    label: 'delivered_on_time: delivered at 23:30 Paris time on the promised day',
    now: '2026-05-26T10:00:00+02:00',
    shipment: { status: 'delivered', deliveredAt: '2026-05-22T21:30:00Z' },
    expected: { verdict: 'delivered_on_time' },
  },
  {
    label: 'delivered_late: delivered the Tuesday after Whit Monday',
    now: '2026-05-27T10:00:00+02:00',
    shipment: { status: 'delivered', deliveredAt: '2026-05-26T10:00:00+02:00' },
    expected: { verdict: 'delivered_late', businessDaysLate: 1 },
    says: /1 business day late/,
  },
  {
    label: 'delivered_on_time with no promise: nothing to be late against',
    now: '2026-05-27T10:00:00+02:00',
    shipment: { status: 'delivered', deliveredAt: '2026-05-26T10:00:00+02:00', promisedTo: undefined },
    expected: { verdict: 'delivered_on_time', promisedBy: undefined },
    says: /no promise was recorded, so it cannot be late/,
  },
  {
    label: 'delivered_twice: the original and its reshipment both delivered',
    now: '2026-05-28T10:00:00+02:00',
    shipment: { status: 'delivered', deliveredAt: '2026-05-27T10:00:00+02:00' },
    reshipments: [{ trackingNumber: '6A00000000002', status: 'delivered', deliveredAt: '2026-05-28T09:00:00+02:00' }],
    expected: { verdict: 'delivered_twice' },
    says: /its reshipment \(6A00000000002\) was delivered too/,
  },
  {
    label: 'delivered_late, not twice, while the reshipment is still on its way',
    now: '2026-05-28T10:00:00+02:00',
    shipment: { status: 'delivered', deliveredAt: '2026-05-27T10:00:00+02:00' },
    reshipments: [{ trackingNumber: '6A00000000002', status: 'in_transit' }],
    expected: { verdict: 'delivered_late', businessDaysLate: 2 },
  },
  {
    label: 'returned: the carrier is sending it back',
    now: '2026-05-26T10:00:00+02:00',
    shipment: { status: 'return_to_sender' },
    expected: { verdict: 'returned' },
  },
  {
    label: 'cancelled',
    now: '2026-05-26T10:00:00+02:00',
    shipment: { status: 'cancelled' },
    expected: { verdict: 'cancelled' },
  },
  {
    label: 'unknown: the carrier gives no usable status, even after the promise',
    now: '2026-05-26T10:00:00+02:00',
    shipment: { status: 'unknown' },
    expected: { verdict: 'unknown' },
    says: /the carrier gives no usable status/,
  },
  {
    label: 'unknown: no promise and no scan',
    now: '2026-05-26T10:00:00+02:00',
    shipment: { status: 'pending', promisedTo: undefined },
    expected: { verdict: 'unknown' },
    says: /nothing to judge/,
  },
  {
    label: 'on_time with no promise: judged on regular scans alone',
    now: '2026-05-20T10:00:00+02:00',
    shipment: { promisedTo: undefined },
    scans: moving,
    expected: { verdict: 'on_time' },
  },
  {
    label: 'as of an instant in the past: later scans are ignored, the status is that of the scan before',
    now: '2026-05-24T10:00:00+02:00',
    shipment: { status: 'delivered', deliveredAt: '2026-05-26T10:00:00+02:00' },
    scans: [...moving, scan('2026-05-26T10:00:00+02:00', 'delivered')],
    expected: { verdict: 'late', businessDaysLate: 0 },
  },
];

describe('computeVerdict', () => {
  it.each(cases)('$label', ({ now, shipment, scans = [], reshipments, lostAfterBusinessDays, expected, says }) => {
    const settings = { ...carrierSettings('laposte'), ...(lostAfterBusinessDays ? { lostAfterBusinessDays } : {}) };
    const result = computeVerdict({
      shipment: { carrier: 'laposte', status: 'in_transit', destinationCountry: 'FR', ...PROMISED_FRIDAY, ...shipment },
      events: [...scans].reverse(),
      now: new Date(now),
      settings,
      reshipments,
    });
    for (const [key, value] of Object.entries(expected)) expect(result[key as keyof VerdictResult], key).toEqual(value);
    expect(result.reasons.length).toBeGreaterThan(0);
    for (const reason of result.reasons) expect(reason).toMatch(/^[A-Z].*\.$/);
    if (says) expect(result.reasons.join(' ')).toMatch(says);
  });

  it('says when the destination’s holidays are unknown', () => {
    const result = computeVerdict({
      shipment: { carrier: 'laposte', status: 'in_transit', destinationCountry: 'XX', promisedTo: '2026-12-25' },
      events: [scan('2026-12-24T10:00:00Z')],
      now: new Date('2026-12-28T10:00:00Z'),
      settings: carrierSettings('laposte'),
    });
    expect(result).toMatchObject({ verdict: 'late', businessDaysLate: 1 });
    expect(result.reasons.at(-1)).toBe('Public holidays of XX are not known: only weekends are skipped, in UTC.');
  });
});

describe('carrierSettings', () => {
  it.each([
    ['laposte', {}, { scanGapHours: 48, lostAfterBusinessDays: 5 }],
    ['ups', {}, { scanGapHours: 36, lostAfterBusinessDays: 4 }],
    ['colis-prive', {}, { scanGapHours: 72, lostAfterBusinessDays: 7 }],
    ['colis-prive', { default: { lostAfterBusinessDays: 9 } }, { scanGapHours: 72, lostAfterBusinessDays: 9 }],
    ['laposte', { default: { lostAfterBusinessDays: 9 } }, { scanGapHours: 48, lostAfterBusinessDays: 5 }],
    ['laposte', { laposte: { scanGapHours: 24 } }, { scanGapHours: 24, lostAfterBusinessDays: 5 }],
  ])('%s with overrides %j: %j', (carrier, overrides, expected) => {
    expect(carrierSettings(carrier, overrides)).toEqual(expected);
  });
});
