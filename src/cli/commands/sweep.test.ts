import { describe, expect, it } from 'vitest';
import type { SweepRecord } from '../../domain/sweep.ts';
import { formatSummary, leftWaitingLine } from './sweep.ts';

const sweep: SweepRecord = {
  id: 'night',
  trigger: 'scheduled',
  startedAt: '2026-03-10T01:00:00.000Z',
  finishedAt: '2026-03-10T01:05:00.000Z',
  state: 'done',
  runs: 1,
  batches: 3,
  eventCursors: {},
  countsExact: true,
  enqueued: 90,
  checked: 25,
  byStatus: { in_transit: 25 },
  notFound: 0,
  rejected: 0,
  failed: 0,
  failures: [],
  leftWaiting: [],
};

describe('a sweep summary', () => {
  it('names the carriers whose held queues the sweep did not wait for, with their parcels and the end of the hold in Paris time', () => {
    const leftWaiting = [{ carrier: 'fedex', parcels: 65, until: '2026-03-11T00:00:00.000Z' }];
    const line = 'left waiting in queues held by a rate limit (checked once the hold lifts): fedex 65 parcels until 2026-03-11 01:00';
    expect(leftWaitingLine({ ...sweep, leftWaiting })).toBe(line);
    expect(formatSummary({ ...sweep, leftWaiting })).toBe(`sweep night: 25 parcels checked, 0 failed, 0 refused\n  in_transit         25\n${line}\n`);
    expect(leftWaitingLine(sweep)).toBeUndefined();
  });
});
