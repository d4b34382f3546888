import { describe, expect, it } from 'vitest';
import { lastDueTick } from './cron-ticks.ts';

const PARIS = 'Europe/Paris';
const at = (iso: string) => new Date(iso);

describe('lastDueTick across clock changes', () => {
  it.each([
    // 02:00 does not exist on 2026-03-29: the tick is 03:00 CEST, the first instant after the gap.
    ['0 2 * * *', '2026-03-29T03:00:00+02:00', '2026-03-28T12:00:00Z', '2026-03-29T01:00:00.000Z'],
    ['0 2 * * *', '2026-03-29T01:59:59+01:00', '2026-03-28T12:00:00Z', undefined],
    ['30 2 * * *', '2026-03-29T04:00:00+02:00', '2026-03-28T12:00:00Z', '2026-03-29T01:00:00.000Z'],
    ['*/15 * * * *', '2026-03-29T03:05:00+02:00', '2026-03-29T01:50:00+01:00', '2026-03-29T01:00:00.000Z'],
    // 02:00 happens twice on 2025-10-26: the tick is the later one, as node-cron fires it.
    ['0 2 * * *', '2025-10-26T02:30:00+02:00', '2025-10-25T12:00:00Z', undefined],
    ['0 2 * * *', '2025-10-26T02:30:00+01:00', '2025-10-25T12:00:00Z', '2025-10-26T01:00:00.000Z'],
    ['0 2 * * *', '2026-07-10T09:00:00+02:00', '2026-07-09T12:00:00Z', '2026-07-10T00:00:00.000Z'],
    ['* * * * * *', '2026-03-10T09:00:00.500+01:00', '2026-03-10T07:00:00Z', '2026-03-10T08:00:00.000Z'],
  ])('%s at %s (not before %s) is %s', (expression, now, notBefore, expected) => {
    expect(lastDueTick(expression, PARIS, at(now), at(notBefore))?.toISOString()).toBe(expected);
  });
});
