import { describe, expect, it } from 'vitest';
import { FOLLOW_UP_QUEUE } from '../followups/follow-up-queue.ts';
import { LANES, laneOf, trackQueueName } from './track-job.ts';

describe('track queue names', () => {
  it('give back their lane, for carriers whose names hold a dash too', () => {
    for (const carrier of ['laposte', 'relay-portal']) {
      for (const lane of LANES) expect(laneOf(trackQueueName(carrier, lane))).toBe(lane);
    }
    expect(new Set(LANES.map((lane) => trackQueueName('laposte', lane))).size).toBe(LANES.length);
  });

  it('name no lane for other queues', () => {
    expect(laneOf(FOLLOW_UP_QUEUE)).toBeUndefined();
  });
});
