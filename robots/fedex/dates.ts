import type { TimeWindow } from '../../src/domain/snapshot.ts';

const OFFSET = /(Z|[+-]\d{2}:\d{2})$/;
const MIDNIGHT = /^(\d{4}-\d{2}-\d{2})T00:00:00(?:\.0+)?(Z|[+-]\d{2}:\d{2})$/;

/** `-04:00` of `2024-08-20T12:41:57-04:00`; undefined for a local time without offset. */
export function offsetOf(iso: string): string | undefined {
  return OFFSET.exec(iso)?.[1];
}

/**
 * The value as it is when it has an offset; else the value read in `fallbackOffset` (FedEx's own
 * examples omit it on some windows). Undefined when there is nothing to read it in: an instant
 * without a zone cannot be placed, and no date is better than a wrong one.
 */
export function withOffset(value: string | undefined, fallbackOffset: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (offsetOf(value) !== undefined) return value;
  return fallbackOffset === undefined ? undefined : `${value}${fallbackOffset}`;
}

/** The day a midnight stands for (FedEx dates whole days at 00:00), else the instant itself. */
export function dayOrInstant(iso: string): TimeWindow {
  const midnight = MIDNIGHT.exec(iso);
  return midnight ? { from: iso, to: `${midnight[1]}T23:59:59${midnight[2]}` } : { from: iso, to: iso };
}

/**
 * A FedEx time window (`begins` / `ends`, either may be missing, `{}` when unknown). An end
 * without offset takes the other end's, then `fallbackOffset`. An `ends` at midnight means by the
 * end of that day.
 */
export function readWindow(begins: string | undefined, ends: string | undefined, fallbackOffset: string | undefined): TimeWindow | undefined {
  const from = withOffset(begins, offsetOf(ends ?? '') ?? fallbackOffset);
  const to = withOffset(ends, offsetOf(begins ?? '') ?? fallbackOffset);
  if (from !== undefined && to !== undefined) return { from, to: dayOrInstant(to).to };
  const single = from ?? to;
  return single === undefined ? undefined : dayOrInstant(single);
}
