/**
 * Dates and times moved field by field, in the shape they were written in: the way to reach a
 * parser's date checks and its windows with values a real body could hold (February 30th, 24:00,
 * an offset of +15:00, an estimate that ends before it starts). Recorded bodies write dates as
 * `2024-07-09T18:00:00+02:00`, `2024-07-09`, `20240709`, `163000`, `74700`, `13:00`, `-05:00`.
 */

type Field = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'offsetHour' | 'offsetMinute';

/** Each field's range, and the values at and past its edges. */
const FIELDS: Record<Field, { min: number; max: number; edges: number[] }> = {
  year: { min: 1990, max: 2040, edges: [0, 1, 1111, 1969, 1970, 2038, 9999] },
  month: { min: 1, max: 12, edges: [0, 2, 12, 13, 99] },
  day: { min: 1, max: 28, edges: [0, 29, 30, 31, 32, 99] },
  hour: { min: 0, max: 23, edges: [0, 23, 24, 99] },
  minute: { min: 0, max: 59, edges: [0, 59, 60, 99] },
  second: { min: 0, max: 59, edges: [0, 59, 60, 99] },
  offsetHour: { min: 0, max: 14, edges: [0, 14, 15, 23, 24, 99] },
  offsetMinute: { min: 0, max: 59, edges: [0, 30, 45, 60, 99] },
};

/** Only digits and the punctuation of dates; anything else (a tracking number with letters) is no date. */
const DATE_SHAPED = /^[+-]?\d[\d:.T+Z-]*$/;

/** The fields a run of digits holds, by its length and what came before it; undefined when it is no date part. */
function fieldsOf(run: string, before: string, seen: readonly Field[]): { field: Field; width: number }[] | undefined {
  if (before.endsWith('.')) return [];
  // A sign starts an offset after a time (`T10:00:00+01:00`) or alone (`-05:00`); in `2024-07-09` it separates.
  const offset = /[+-]$/.test(before) && (seen.length === 0 || seen.includes('hour'));
  const next = (): Field | undefined => {
    if (offset || seen.includes('offsetHour')) return seen.includes('offsetHour') ? 'offsetMinute' : 'offsetHour';
    const order: Field[] = seen.includes('year') ? ['month', 'day', 'hour', 'minute', 'second'] : ['hour', 'minute', 'second'];
    return order.find((field) => !seen.includes(field));
  };
  switch (run.length) {
    case 8:
      return seen.length === 0 ? [{ field: 'year', width: 4 }, { field: 'month', width: 2 }, { field: 'day', width: 2 }] : undefined;
    case 6:
      return seen.length === 0 ? [{ field: 'hour', width: 2 }, { field: 'minute', width: 2 }, { field: 'second', width: 2 }] : undefined;
    case 5:
      return seen.length === 0 ? [{ field: 'hour', width: 1 }, { field: 'minute', width: 2 }, { field: 'second', width: 2 }] : undefined;
    case 4:
      if (seen.length === 0 && !offset) return [{ field: 'year', width: 4 }];
      return offset ? [{ field: 'offsetHour', width: 2 }, { field: 'offsetMinute', width: 2 }] : undefined;
    case 2: {
      const field = next();
      return field && [{ field, width: 2 }];
    }
    default:
      return undefined;
  }
}

/**
 * `text` with each field of the date or time it writes kept, moved within its range or set to
 * an edge, sometimes cut to the minute, as `random` (values in [0, 1)) decides; undefined when
 * `text` writes no date or time.
 */
export function moveDate(text: string, random: () => number): string | undefined {
  if (!DATE_SHAPED.test(text)) return undefined;
  const seen: Field[] = [];
  let moved = '';
  let last = 0;
  for (const match of text.matchAll(/\d+/g)) {
    const fields = fieldsOf(match[0], text.slice(0, match.index), seen);
    if (fields === undefined) return undefined;
    moved += text.slice(last, match.index);
    let at = 0;
    for (const { field, width } of fields) {
      seen.push(field);
      moved += moveField(match[0].slice(at, at + width), field, random);
      at += width;
    }
    moved += match[0].slice(at);
    last = match.index + match[0].length;
  }
  if (seen.length === 0) return undefined;
  // Now and then written to the minute, as other writers of ISO 8601 do.
  const written = moved + text.slice(last);
  return random() < 0.1 ? written.replace(/(T\d{2}:\d{2}):\d{2}(\.\d+)?/, '$1') : written;
}

function moveField(digits: string, field: Field, random: () => number): string {
  const choice = random();
  const { min, max, edges } = FIELDS[field];
  if (choice < 0.5) return digits;
  const value = choice < 0.8 ? min + Math.floor(random() * (max - min + 1)) : edges[Math.floor(random() * edges.length)]!;
  return String(value).padStart(digits.length, '0').slice(-Math.max(digits.length, String(value).length));
}

/** A small deterministic stream of numbers in [0, 1) from a seed, so a moved date is the same on every replay. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}
