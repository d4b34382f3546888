import { describe, expect, it } from 'vitest';
import type { ClaimType } from '../../domain/claim.ts';
import { claimWindowOf, countDays, type WindowAnchors } from './claim-window.ts';
import { loadClaimWindows } from './claim-windows.ts';
import { closingWithin } from './closing-windows.ts';

const windows = await loadClaimWindows();

describe('claimWindowOf, with the shipped windows (France, Paris time)', () => {
  it.each<{ name: string; carrier: string; type: ClaimType; anchors: WindowAnchors; lastDay?: string; closesAt?: string; opensOn?: string }>([
    {
      name: 'damage: 3 days after delivery, Sunday not counted (L133-3)',
      carrier: 'laposte',
      type: 'damaged',
      anchors: { delivered: '2026-03-13T15:00:00+01:00' },
      lastDay: '2026-03-17',
      closesAt: '2026-03-17T23:00:00.000Z',
    },
    {
      name: 'damage: May Day not counted either',
      carrier: 'laposte',
      type: 'damaged',
      anchors: { delivered: '2026-04-30T10:00:00+02:00' },
      lastDay: '2026-05-05',
      closesAt: '2026-05-05T22:00:00.000Z',
    },
    {
      name: 'damage: a delivery at 00:30 Paris time counts from that Paris day, not the UTC one',
      carrier: 'dhl',
      type: 'damaged',
      anchors: { delivered: '2026-03-13T23:30:00Z' },
      lastDay: '2026-03-18',
    },
    {
      name: 'loss: 21 calendar days after the promise, closing at midnight summer time',
      carrier: 'laposte',
      type: 'lost',
      anchors: { promised: '2026-03-10', last_event: '2026-03-05T08:00:00+01:00' },
      lastDay: '2026-03-31',
      closesAt: '2026-03-31T22:00:00.000Z',
    },
    { name: 'loss without a promise: from the last event', carrier: 'laposte', type: 'lost', anchors: { last_event: '2026-03-05T08:00:00+01:00' }, lastDay: '2026-03-26' },
    {
      name: 'relay carrier loss: opens 10 days after the last scan (Mondial Relay terms)',
      carrier: 'relay-portal',
      type: 'lost',
      anchors: { promised: '2026-03-10', last_event: '2026-03-05T08:00:00+01:00' },
      opensOn: '2026-03-15',
      lastDay: '2026-03-31',
    },
    { name: 'UPS late delivery: 15 days from the scheduled day', carrier: 'ups', type: 'late', anchors: { promised: '2026-03-10', delivered: '2026-03-12T10:00:00+01:00' }, lastDay: '2026-03-25' },
    { name: 'FedEx late delivery: 15 days from delivery', carrier: 'fedex', type: 'late', anchors: { promised: '2026-03-10', delivered: '2026-03-12T10:00:00+01:00' }, lastDay: '2026-03-27' },
    { name: 'damage before any delivery: no date to count from', carrier: 'laposte', type: 'damaged', anchors: { promised: '2026-03-10' } },
  ])('$name', ({ carrier, type, anchors, lastDay, closesAt, opensOn }) => {
    const window = claimWindowOf(windows, carrier, type, anchors);
    expect(window.lastDay).toBe(lastDay);
    if (closesAt) expect(window.closesAt).toBe(closesAt);
    if (lastDay === undefined) expect(window.closesAt).toBeUndefined();
    expect(window.opensOn).toBe(opensOn);
    expect(window.rule.source.length).toBeGreaterThan(10);
  });
});

describe('countDays', () => {
  it.each([
    ['2026-05-07', 5, 'business', '2026-05-18'],
    ['2026-05-07', 5, 'without_holidays', '2026-05-15'],
    ['2026-05-07', 5, 'calendar', '2026-05-12'],
    ['2026-12-31', 1, 'calendar', '2027-01-01'],
    ['2026-12-31', 1, 'business', '2027-01-04'],
    ['2026-03-10', 0, 'business', '2026-03-10'],
  ] as const)('%s + %i %s days = %s', (day, days, count, expected) => {
    expect(countDays(day, days, count, 'FR')).toBe(expected);
  });
});

describe('closingWithin', () => {
  const now = new Date('2026-03-10T09:00:00Z');
  const claims = [
    { id: 1, windowClosesAt: '2026-03-12T23:00:00.000Z' },
    { id: 2, windowClosesAt: '2026-03-11T23:00:00.000Z' },
    { id: 3, windowClosesAt: '2026-03-13T23:00:00.000Z' },
    { id: 4, windowClosesAt: '2026-03-09T23:00:00.000Z' },
    { id: 5 },
  ];
  it.each([
    [2, [2]],
    [3, [2, 1]],
    [7, [2, 1, 3]],
    [0, []],
  ])('within %i days: %j, soonest first; closed and unknown windows left out', (days, ids) => {
    expect(closingWithin(claims, now, days).map((claim) => claim.id)).toEqual(ids);
  });
});
