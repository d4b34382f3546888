import fc from 'fast-check';

/**
 * Outside input no parser may trust (parser-properties.ts): odd strings and values to put where a
 * parser expects something else, any text or bytes at all, and edits of a text.
 */

/** Dates and times just inside and just outside what carriers write, for the checks that read them. */
const DATE_LIKE = [
  '2024-02-29T10:00:00+01:00',
  '2023-02-29T10:00:00+01:00',
  '2024-02-30T10:00:00Z',
  '2024-13-01T00:00:00Z',
  '2024-00-10T00:00:00Z',
  '2024-01-01T24:00:00Z',
  '2024-01-01T23:59:60Z',
  '2024-01-01T99:99:99+99:99',
  '2024-01-01T10:00:00+0100',
  '2024-01-01T10:00:00+01',
  '2024-01-01T10:00:00+23:59',
  '2024-01-01T10:00Z',
  '2024-01-01T10:00',
  '2024-01-01T10',
  '2024-01-01',
  '2024-03-31T02:30:00',
  '2024-10-27T02:30:00',
  '2024-07-09T18:00:00.123456789+02:00',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59-14:00',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '20240101',
  '20241301',
  '20240230',
  '74700',
  '240000',
  '235960',
  '-05:00',
  '+15:00',
];

const ODD_TEXT = [
  '',
  ' ',
  '—',
  'NaN',
  'Infinity',
  '-0',
  '1e400',
  '9'.repeat(400),
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '\u0000',
  '\uD800',
  '𝒳é\u200F\u202Eabc',
  '<script>alert(1)</script>',
  '</td></tr></table><tr class="event-row">',
  '<!--',
  ']]>',
  '%PDF-',
  'http://',
  'http://[::1',
  '//',
  ':',
  'javascript:alert(1)',
  '1,234.5 EUR',
  '0.999 EUR',
  '12,34 EUR',
];

/** A number in `min..max` most of the time, else any of two digits: fields of dates in range, and out of it. */
const field = (min: number, max: number) => fc.oneof({ weight: 3, arbitrary: fc.integer({ min, max }) }, fc.integer({ min: 0, max: 99 }));
const two = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DDTHH:MM:SS±HH:MM`, `Z` or no zone, each field mostly in range: real instants in any order, and broken ones. */
const dateShaped = fc
  .tuple(fc.integer({ min: 1990, max: 2040 }), field(1, 12), field(1, 28), field(0, 23), field(0, 59), field(0, 59), fc.constantFrom('Z', '+', '-', ''), field(0, 14), fc.constantFrom(0, 30, 45, 99))
  .map(([year, month, day, hour, minute, second, sign, offsetHours, offsetMinutes]) => {
    const zone = sign === 'Z' || sign === '' ? sign : `${sign}${two(offsetHours)}:${two(offsetMinutes)}`;
    return `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}${zone}`;
  });

/** The same fields in the other shapes carriers write: a day, `HH:MM`, `YYYYMMDD`, `HHMMSS`. */
const dateParts = fc.oneof(
  fc.tuple(fc.integer({ min: 1990, max: 2040 }), field(1, 12), field(1, 28)).map(([year, month, day]) => `${year}-${two(month)}-${two(day)}`),
  fc.tuple(field(0, 23), field(0, 59)).map(([hour, minute]) => `${two(hour)}:${two(minute)}`),
  fc.tuple(fc.integer({ min: 1990, max: 2040 }), field(1, 12), field(1, 28)).map(([year, month, day]) => `${year}${two(month)}${two(day)}`),
  fc.tuple(field(0, 23), field(0, 59), field(0, 59)).map(([hour, minute, second]) => `${two(hour)}${two(minute)}${two(second)}`),
);

/** Strings worth trying where a parser expects text: odd ones, date-like ones, any unicode, a huge one. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...ODD_TEXT, ...DATE_LIKE),
  dateShaped,
  dateParts,
  fc.stringMatching(/^\d{1,8}$/),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constant('x'.repeat(100_000)),
);

const oddNumber = fc.oneof(fc.constantFrom(0, -0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, 1e-7, 99999999), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());

/** Deeply nested arrays and objects: 200 levels. */
const deepValue = fc.constantFrom<unknown>(
  JSON.parse('['.repeat(200) + ']'.repeat(200)),
  JSON.parse('{"a":'.repeat(200) + '{}' + '}'.repeat(200)),
);

/** Any value a JSON field could hold instead of the right one. */
export const oddJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, [], {}, [null], { '': null }),
  oddString,
  oddNumber,
  deepValue,
  fc.jsonValue({ maxDepth: 2 }),
);

/** Any text at all: JSON of any shape, any string, any bytes read as UTF-8 or Latin-1. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.json({ maxDepth: 3 }),
  oddString,
  fc.string({ unit: 'binary' }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('utf8')),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.constantFrom('', 'null', '[]', '{}', '[{}]', '"x"', '0', 'true', '[null]', '{"":null}', '<html></html>'),
);

/** Any bytes: a random run, or `anyText` as UTF-8. */
export const anyBytes: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  anyText.map((text) => Buffer.from(text, 'utf8')),
);

/** One change to a text: cut it, drop or insert a piece, or swap one character. */
export type TextEdit = { kind: 'cut'; at: number } | { kind: 'drop'; at: number; length: number } | { kind: 'insert'; at: number; text: string } | { kind: 'swap'; at: number; text: string };

export const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: oddString }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom('0', '9', ':', '-', '+', 'Z', 'T', ' ', '"', '\n'), fc.string({ minLength: 1, maxLength: 1 })) }),
);

/** `text` with `edit` made, its position taken modulo the text's length. */
export function applyTextEdit(text: string, edit: TextEdit): string {
  const at = edit.at % (text.length + 1);
  switch (edit.kind) {
    case 'cut':
      return text.slice(0, at);
    case 'drop':
      return text.slice(0, at) + text.slice(at + edit.length);
    case 'insert':
      return text.slice(0, at) + edit.text + text.slice(at);
    case 'swap':
      return text.slice(0, at) + edit.text + text.slice(at + 1);
  }
}

/** Bytes changed as a transport or a careless service would: cut, a piece dropped, text inserted. */
export function mutatedBytes(bytes: Buffer): fc.Arbitrary<Buffer> {
  return fc.array(textEdit, { minLength: 1, maxLength: 3 }).map((edits) => Buffer.from(edits.reduce(applyTextEdit, bytes.toString('latin1')), 'latin1'));
}

