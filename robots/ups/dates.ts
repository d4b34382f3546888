import type { TimeWindow } from '../../src/domain/snapshot.ts';
import type { UpsActivity, UpsDeliveryTime } from './payload.ts';

/**
 * UPS writes dates as `YYYYMMDD` and times as `HHMMSS`, in the local time of the scan's place,
 * with (in current answers) `gmtDate`, `gmtTime` and `gmtOffset` beside them. Pure functions:
 * the payload schema has already checked every format.
 */

/** What an activity without any GMT field is read with. */
export const OFFSET_WHEN_UNKNOWN = '+00:00';

const MAX_OFFSET_MINUTES = 14 * 60;

/**
 * The offset of an activity's place:
 * 1. `gmtOffset` as sent ("-05:00"; "-0500" is normalized);
 * 2. without it, the difference between the local and the GMT date and time, rounded to the
 *    quarter hour (every offset in use is a multiple of 15 minutes);
 * 3. without either, undefined. The official UPS Postman sample has only `date` and `time`.
 */
export function activityOffset(activity: UpsActivity): string | undefined {
  if (activity.gmtOffset !== undefined) return normalizeOffset(activity.gmtOffset);
  if (activity.gmtDate === undefined || activity.gmtTime === undefined) return undefined;
  const localMs = utcMsOf(activity.date, activity.time);
  const gmtMs = utcMsOf(activity.gmtDate, gmtTimeDigits(activity.gmtTime));
  const minutes = Math.round((localMs - gmtMs) / 60_000 / 15) * 15;
  return Math.abs(minutes) > MAX_OFFSET_MINUTES ? undefined : formatOffset(minutes);
}

/**
 * The activity's instant, ISO 8601 with its place's offset. When UPS gives no GMT field at all,
 * the local time is read as UTC (`OFFSET_WHEN_UNKNOWN`): the wall-clock time stays right and the
 * instant is off by the place's offset (one or two hours in France), which is better than
 * dropping the scan or guessing a zone from a country that may span several.
 */
export function activityInstant(activity: UpsActivity): string {
  return `${localDateTime(activity.date, activity.time)}${activityOffset(activity) ?? OFFSET_WHEN_UNKNOWN}`;
}

/** The delivery-time types that carry a window (`startTime` to `endTime`). */
const WINDOW_TYPES: ReadonlySet<string> = new Set(['EDW', 'CDW', 'IDW']);

/**
 * The window of an estimated delivery day (`deliveryDate` SDD / RDD): `startTime`-`endTime` for
 * an estimated, confirmed or imminent window (EDW, CDW, IDW), midnight to `endTime` for a commit
 * time (CMT), the whole day otherwise (EOD, none). UPS gives no offset for these: `offset` is the
 * one of the newest scan, the place the parcel was last seen.
 */
export function deliveryWindow(date: string, offset: string, time: UpsDeliveryTime | undefined): TimeWindow {
  const at = (hhmmss: string): string => `${localDateTime(date, hhmmss)}${offset}`;
  const type = time?.type ?? '';
  if (WINDOW_TYPES.has(type) && time?.startTime !== undefined && time.endTime !== undefined) {
    return { from: at(time.startTime), to: at(time.endTime) };
  }
  if (type === 'CMT' && time?.endTime !== undefined) return { from: at('000000'), to: at(time.endTime) };
  return { from: at('000000'), to: at('235959') };
}

/** "20220126" + "163000" -> "2022-01-26T16:30:00". */
function localDateTime(date: string, time: string): string {
  return `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}`;
}

/** "74700" -> "074700"; "07:47:00" -> "074700". */
function gmtTimeDigits(time: string): string {
  return time.replaceAll(':', '').padStart(6, '0');
}

/** The date and time as if they were UTC, to subtract one from another. */
function utcMsOf(date: string, time: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)), Number(time.slice(0, 2)), Number(time.slice(2, 4)), Number(time.slice(4, 6)));
}

function normalizeOffset(offset: string): string {
  return offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
