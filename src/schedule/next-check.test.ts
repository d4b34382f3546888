import { describe, expect, it } from 'vitest';
import { type CheckOutcome, type CheckedShipment, DEFAULT_NEXT_CHECK, nextCheckAt } from './next-check.ts';

const checkedAt = new Date('2026-03-10T02:05:00Z');
const created = '2026-03-05T10:00:00Z';
const inTransit: CheckedShipment = { status: 'in_transit', isFinal: false, createdAt: created };

/** Each row: the shipment after its check, what the check gave, the rule and when it is due again. */
const cases: [string, CheckedShipment, CheckOutcome, string, string | null][] = [
  ['no promise, no estimate', inTransit, 'found', 'in_flight', '2026-03-10T08:05:00Z'],
  ['promise tomorrow', { ...inTransit, promisedTo: '2026-03-11' }, 'found', 'near_promise', '2026-03-10T05:05:00Z'],
  ['promise passed (late)', { ...inTransit, promisedTo: '2026-03-08' }, 'found', 'near_promise', '2026-03-10T05:05:00Z'],
  ['promise in a week', { ...inTransit, promisedTo: '2026-03-17' }, 'found', 'far_from_promise', '2026-03-10T14:05:00Z'],
  ['a window: its first day alone counts when no end', { ...inTransit, promisedFrom: '2026-03-11' }, 'found', 'near_promise', '2026-03-10T05:05:00Z'],
  ["the carrier's estimate wins over the promise", { ...inTransit, promisedTo: '2026-03-11', estimatedTo: '2026-03-16T18:00:00Z' }, 'found', 'far_from_promise', '2026-03-10T14:05:00Z'],
  ['out for delivery', { ...inTransit, status: 'out_for_delivery', promisedTo: '2026-03-20' }, 'found', 'last_mile', '2026-03-10T04:05:00Z'],
  ['waiting at a pickup point', { ...inTransit, status: 'ready_for_pickup' }, 'found', 'last_mile', '2026-03-10T04:05:00Z'],
  ['failed delivery attempt', { ...inTransit, status: 'delivery_failed' }, 'found', 'last_mile', '2026-03-10T04:05:00Z'],
  ['label created, not handed over', { ...inTransit, status: 'pending', promisedTo: '2026-03-11' }, 'found', 'not_handed_over', '2026-03-10T14:05:00Z'],
  ['unknown to the carrier yet', inTransit, 'not_found', 'not_found', '2026-03-10T14:05:00Z'],
  ['the check failed after its retries', inTransit, 'failed', 'failed', '2026-03-10T08:05:00Z'],
  ['the carrier refused the number', inTransit, 'rejected', 'rejected', null],
  ['just became final (delivered)', { ...inTransit, status: 'delivered', isFinal: true }, 'found', 'final_recheck', '2026-03-10T22:05:00Z'],
  ['final for two days: one more night', { ...inTransit, status: 'delivered', isFinal: true, finalAt: '2026-03-08T02:05:00Z' }, 'found', 'final_recheck', '2026-03-10T22:05:00Z'],
  ['final for three days: never again', { ...inTransit, status: 'lost', isFinal: true, finalAt: '2026-03-07T02:05:00Z' }, 'found', 'final_done', null],
  ['final long ago, then unknown to the carrier: never again', { ...inTransit, status: 'delivered', isFinal: true, finalAt: '2026-02-18T10:00:00Z' }, 'not_found', 'final_done', null],
  ['final long ago, then the check failed: never again', { ...inTransit, status: 'delivered', isFinal: true, finalAt: '2026-02-18T10:00:00Z' }, 'failed', 'final_done', null],
  ['just final, then unknown to the carrier: asked again within the final checks', { ...inTransit, status: 'delivered', isFinal: true, finalAt: '2026-03-09T20:00:00Z' }, 'not_found', 'not_found', '2026-03-10T14:05:00Z'],
  ['created 90 days ago: retired', { ...inTransit, createdAt: '2025-12-10T02:05:00Z' }, 'found', 'retired', null],
  ['the next check would fall after retirement', { ...inTransit, createdAt: '2025-12-10T06:00:00Z' }, 'found', 'retired', null],
  ['retired even when not found', { ...inTransit, createdAt: '2025-11-01T00:00:00Z' }, 'not_found', 'retired', null],
];

describe('nextCheckAt', () => {
  it.each(cases)('%s', (_label, shipment, outcome, rule, at) => {
    const next = nextCheckAt(shipment, outcome, checkedAt, DEFAULT_NEXT_CHECK);
    expect(next).toEqual({ rule, at: at === null ? null : new Date(at) });
  });

  it('rechecks a final parcel on each of the FINAL_RECHECK_DAYS nights of a nightly sweep, then never', () => {
    const delivered: CheckedShipment = { ...inTransit, status: 'delivered', isFinal: true, finalAt: checkedAt.toISOString() };
    let next = nextCheckAt(delivered, 'found', checkedAt, DEFAULT_NEXT_CHECK).at;
    const rechecks: string[] = [];
    for (let night = 1; night <= 6; night += 1) {
      // The sweep starts at 02:00 and takes what is due by then; the parcel is checked at 02:05.
      const sweepStart = new Date(Date.parse('2026-03-10T02:00:00Z') + night * 86_400_000);
      if (next === null || next > sweepStart) continue;
      const at = new Date(sweepStart.getTime() + 5 * 60_000);
      rechecks.push(at.toISOString().slice(0, 10));
      next = nextCheckAt(delivered, 'found', at, DEFAULT_NEXT_CHECK).at;
    }
    expect(rechecks).toEqual(['2026-03-11', '2026-03-12', '2026-03-13']);
  });

  it('follows FINAL_RECHECK_DAYS and RETIRE_AFTER_DAYS', () => {
    const delivered: CheckedShipment = { ...inTransit, status: 'delivered', isFinal: true };
    expect(nextCheckAt(delivered, 'found', checkedAt, { finalRecheckDays: 0, retireAfterDays: 90 })).toEqual({ at: null, rule: 'final_done' });
    expect(nextCheckAt(inTransit, 'found', checkedAt, { finalRecheckDays: 3, retireAfterDays: 4 })).toEqual({ at: null, rule: 'retired' });
  });
});
