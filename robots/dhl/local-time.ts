import { formatOffset, offsetAtWallTime } from '../../src/domain/time-zone.ts';

/**
 * DHL timestamps as the Unified API sends them: ISO 8601 with an offset (`2018-03-02T07:53:47Z`,
 * `...+01:00`, eCommerce's nanoseconds `...T15:27:20.331986369+01:00`), local wall time without
 * any zone (parcel-de: `2023-03-13T09:50:00`), or a bare date (the spec's Timestamp is a DateTime
 * or a Date). Parcelbot stores instants with an offset, so a zone-less value gets the offset its
 * time zone had at that wall time; which zone is decided in time-zones.ts.
 */
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::(\d{2}))?(?:\.(\d+))?)?(Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)?$/;

export interface DhlTimestamp {
  /** `YYYY-MM-DD`. */
  date: string;
  /** `HH:MM:SS`, or `HH:MM:SS.mmm` when DHL gave a fraction; `00:00:00` for a bare date. */
  time: string;
  /** `Z` or `±HH:MM`; absent when DHL wrote local wall time. */
  zone?: string;
  /** DHL gave a day without a time. */
  dateOnly: boolean;
}

/** Reads a DHL timestamp, or undefined when it is no ISO 8601 date or date-time (or no real date). */
export function readTimestamp(value: string): DhlTimestamp | undefined {
  const match = TIMESTAMP.exec(value);
  if (!match) return undefined;
  const [, date = '', hhmm, seconds = '00', fraction, zone] = match;
  // Milliseconds are enough for tracking; JavaScript dates hold no more.
  const time = `${hhmm ?? '00:00'}:${seconds}${fraction === undefined ? '' : `.${fraction.slice(0, 3).padEnd(3, '0')}`}`;
  const parsed: DhlTimestamp = { date, time, dateOnly: hhmm === undefined };
  if (zone !== undefined) parsed.zone = normalizeZone(zone);
  return isRealDateTime(parsed) ? parsed : undefined;
}

/** The timestamp as ISO 8601 with an offset: its own zone when it has one, else `timeZone`'s at that wall time. */
export function toIsoWithOffset(timestamp: DhlTimestamp, timeZone: string): string {
  const zone = timestamp.zone ?? formatOffset(offsetOfWallTime(timestamp, timeZone));
  return `${timestamp.date}T${timestamp.time}${zone}`;
}

/** The same calendar day at another wall time (`23:59:59` for the end of an estimated day). */
export function atTimeOfDay(timestamp: DhlTimestamp, time: string): DhlTimestamp {
  return { ...timestamp, time, dateOnly: false };
}

function normalizeZone(zone: string): string {
  if (zone === 'Z') return 'Z';
  const digits = zone.slice(1).replace(':', '');
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`;
}

function isRealDateTime({ date, time }: DhlTimestamp): boolean {
  // Date.UTC rolls 2017-20-10 over into 2018: a real date survives the round trip unchanged.
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute, second] = time.slice(0, 8).split(':').map(Number) as [number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  return new Date(ms).toISOString().slice(0, 19) === `${date}T${time.slice(0, 8)}`;
}

/**
 * The offset `timeZone` had at this wall time: in the autumn hour that happens twice the later
 * (winter) one, and for a wall time skipped in spring the winter one. DHL does not say which it meant either.
 */
function offsetOfWallTime({ date, time }: DhlTimestamp, timeZone: string): number {
  return offsetAtWallTime(Date.parse(`${date}T${time.slice(0, 8)}Z`), timeZone);
}
