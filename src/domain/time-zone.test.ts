import { describe, expect, it } from 'vitest';
import { formatInZone, formatOffset, formatWallClock, offsetAtWallTime, offsetMinutes, timeOnDay, wallClock } from './time-zone.ts';

describe('zone time', () => {
  it.each([
    ['2024-08-20T16:41:57Z', 'America/New_York', '2024-08-20T12:41:57-04:00'],
    ['2024-08-20T16:41:57Z', 'America/Chicago', '2024-08-20T11:41:57-05:00'],
    ['2024-01-20T16:41:57Z', 'America/Chicago', '2024-01-20T10:41:57-06:00'],
    ['2024-08-20T16:41:57Z', 'Europe/Paris', '2024-08-20T18:41:57+02:00'],
    ['2024-03-31T00:30:00Z', 'Europe/Paris', '2024-03-31T01:30:00+01:00'],
    ['2024-03-31T01:30:00Z', 'Europe/Paris', '2024-03-31T03:30:00+02:00'],
  ])('writes %s in %s as %s', (instant, zone, iso) => {
    expect(formatInZone(new Date(instant), zone)).toBe(iso);
  });

  it("finds a local time on another day, with that day's offset", () => {
    // 2024-03-09 is the last winter day in New York (DST starts on the 10th).
    const now = new Date('2024-03-09T15:00:00Z');
    expect(formatInZone(timeOnDay(now, 'America/New_York', 0), 'America/New_York')).toBe('2024-03-09T00:00:00-05:00');
    expect(formatInZone(timeOnDay(now, 'America/New_York', 2, '10:30'), 'America/New_York')).toBe('2024-03-11T10:30:00-04:00');
    expect(formatInZone(timeOnDay(now, 'Europe/Paris', -1, '08:00'), 'Europe/Paris')).toBe('2024-03-08T08:00:00+01:00');
  });
});

describe('offsets', () => {
  it.each([
    ['2024-07-10T10:00:00.999Z', 'Europe/Paris', 120],
    ['2024-01-10T10:00:00Z', 'Europe/Paris', 60],
    ['2024-07-10T10:00:00Z', 'America/New_York', -240],
    ['2024-07-10T10:00:00Z', 'Asia/Kolkata', 330],
    ['2024-07-10T10:00:00Z', 'UTC', 0],
  ])('%s in %s is %i minutes ahead of UTC', (instant, zone, minutes) => {
    expect(offsetMinutes(new Date(instant), zone)).toBe(minutes);
  });

  it.each([
    [120, '+02:00'],
    [0, '+00:00'],
    [-300, '-05:00'],
    [330, '+05:30'],
    // Berlin's local mean time, before 1893.
    [53 + 28 / 60, '+00:53'],
    [-(25 + 21 / 60), '-00:25'],
  ])('writes %d minutes as %s', (minutes, text) => {
    expect(formatOffset(minutes)).toBe(text);
  });

  it('reads the offset of a wall time, the later one when it happens twice, winter when it never happens', () => {
    expect(offsetAtWallTime(Date.parse('2023-07-13T09:50:00Z'), 'Europe/Berlin')).toBe(120);
    expect(offsetAtWallTime(Date.parse('2023-10-29T02:30:00Z'), 'Europe/Berlin')).toBe(60);
    expect(offsetAtWallTime(Date.parse('2023-03-26T02:30:00Z'), 'Europe/Berlin')).toBe(60);
  });

  it('shows the wall clock of a zone, past midnight included', () => {
    const clock = wallClock(new Date('2024-12-31T23:30:00Z'), 'Europe/Paris');
    expect(clock).toEqual({ year: 2025, month: 1, day: 1, hour: 0, minute: 30, second: 0 });
    expect(formatWallClock(clock)).toBe('2025-01-01T00:30:00');
  });

  it.each([
    ['Europe/Paris', '2024-03-31T00:00:00Z'],
    ['Europe/Paris', '2024-10-27T00:00:00Z'],
    // Newfoundland's clocks change at 02:00 local, 05:30 UTC: in the middle of a UTC hour.
    ['America/St_Johns', '2024-03-10T04:00:00Z'],
    // Lord Howe Island moves by half an hour.
    ['Australia/Lord_Howe', '2024-04-06T14:00:00Z'],
  ])('reads %s minute by minute across a change of offset as Intl does, read twice (kept offsets)', (zone, from) => {
    const intl = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const start = Date.parse(from);
    for (let pass = 0; pass < 2; pass++) {
      for (let minute = 0; minute < 4 * 60; minute += 1) {
        const at = new Date(start + minute * 60_000 + 59_000);
        const parts = Object.fromEntries(intl.formatToParts(at).map((part) => [part.type, part.value]));
        expect(formatWallClock(wallClock(at, zone))).toBe(`${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`);
      }
    }
  });
});
