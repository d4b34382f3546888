import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RobotRegistry } from '../robot-kit/registry.ts';
import { createStore } from '../store/store.ts';
import { type TestDatabase, openTestDatabase } from '../store/test-database.ts';
import { storedRows } from '../testing/stored-rows.ts';
import { importShipmentFile } from './import-shipments.ts';
import { ImportFileError, MAX_IMPORT_BYTES } from './read-shipment-file.ts';

// Import files made wrong in every way a person or a system can: refused whole with one line
// saying why and what to do, or row by row with the line and field; never a store changed by
// a bad row. The everyday row mistakes are in import-shipments.test.ts (fixtures/imports/).

const fixture = (name: string) => new URL(`../../fixtures/imports/${name}`, import.meta.url).pathname;
const now = new Date('2026-03-09T10:00:00Z');
const HEADER = 'tracking_number,carrier,order_ref,promised_date,promised_from,destination_country';
const csv = (...lines: string[]) => [HEADER, ...lines].join('\n');

describe('bad import files', () => {
  let db: TestDatabase;
  let registry: RobotRegistry;
  let dir: string;
  let before: Awaited<ReturnType<typeof storedRows>>;

  beforeAll(async () => {
    db = await openTestDatabase();
    registry = await RobotRegistry.load();
    dir = await mkdtemp(path.join(tmpdir(), 'parcelbot-bad-import-'));
    expect(await run(fixture('valid-shipments.csv'))).toMatchObject({ inserted: 3, problems: [] });
    const at = '2026-03-08T10:00:00+01:00';
    await createStore(db).tracking.recordSnapshot(
      { trackingNumber: '6A12345678901', carrier: 'laposte', status: 'in_transit', isFinal: false, events: [{ at, code: 'ET1', label: 'En transit', status: 'in_transit', source: 'api', robot: 'laposte' }], unmappedCodes: [] },
      now,
    );
    before = await storedRows(db);
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  function run(file: string, strict = false) {
    return importShipmentFile(file, { strict, registry, openDb: async () => db, now });
  }

  async function fileOf(name: string, content: string | Buffer): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, content);
    return file;
  }

  /** 100 MB as the file system reports it, without writing 100 MB: the size alone must refuse it. */
  async function hundredMegabytes(): Promise<string> {
    const file = path.join(dir, 'orders-100mb.csv');
    const handle = await open(file, 'w');
    await handle.truncate(100 * 2 ** 20);
    await handle.close();
    return file;
  }

  const refusals: { label: string; file: () => Promise<string>; says: RegExp }[] = [
    { label: 'a 100 MB file', file: hundredMegabytes, says: new RegExp(`: 100 MiB is over the ${MAX_IMPORT_BYTES / 2 ** 20} MiB limit: split the file$`) },
    { label: 'UTF-16 with its BOM', file: () => fileOf('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv('6A12345678911,laposte,,,,'), 'utf16le')])), says: /: not valid UTF-8: save it as UTF-8/ },
    { label: 'UTF-16 without a BOM', file: () => fileOf('utf16-no-bom.csv', Buffer.from(csv('6A12345678911,laposte,,,,'), 'utf16le')), says: /: not a text file \(it holds NUL bytes: UTF-16 or binary\): save it as UTF-8 CSV or JSON$/ },
    { label: 'a Latin-1 JSON file', file: () => fileOf('latin1.json', Buffer.from('[{"tracking_number":"6A12345678911","carrier":"laposte","order_ref":"Café"}]', 'latin1')), says: /: not valid UTF-8/ },
    { label: 'a PNG named .csv', file: () => fileOf('photo.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff, 0xd8])), says: /: not valid UTF-8/ },
    { label: 'zeros named .json', file: () => fileOf('zeros.json', Buffer.alloc(4096)), says: /: not a text file/ },
    { label: 'a row with a column too many', file: () => fileOf('extra-cell.csv', csv('6A12345678911,laposte,CMD-1,,,FR,surprise')), says: /: not a readable CSV file \(/ },
    { label: 'JSON whose second item has a misspelt column', file: () => fileOf('misspelt.json', JSON.stringify([{ tracking_number: '6A12345678911', carrier: 'laposte' }, { trackingNumber: '6A12345678912', carrier: 'laposte' }])), says: /: unknown column "trackingNumber": the columns are tracking_number, carrier,/ },
    // Customer data in the file (Marie Curie's name and e-mail) is never quoted back.
    { label: 'a cell with text after its closing quote', file: () => fileOf('quote-close.csv', 'tracking_number,carrier,customer_email\n6A12345678941,laposte,"marie.curie@example.com"x\n'), says: /: not a readable CSV file \(line 2, cell 3: text after the closing quote of a cell: quote the whole cell\)$/ },
    { label: 'a quote inside an unquoted cell', file: () => fileOf('quote-mid.csv', 'tracking_number,carrier,customer_name\n6A12345678940,laposte,Marie "Mimi" Curie\n'), says: /: not a readable CSV file \(line 2, cell 3: a quote inside a cell that does not start with one/ },
    { label: 'a quote never closed', file: () => fileOf('quote-open.csv', 'tracking_number,carrier,customer_email\n6A12345678942,laposte,"marie.curie@example.com\n'), says: /: not a readable CSV file \(line 2, cell 3: a quote is never closed/ },
    { label: 'a CSV file without its header', file: () => fileOf('no-header.csv', 'Marie Curie,marie.curie@example.com,6A12345678951,laposte\n'), says: /: column 1: not a column name \(is the first line the header\?\); the columns are tracking_number, carrier,/ },
    { label: 'a header e-mail in a column name', file: () => fileOf('email-header.csv', 'tracking_number,carrier,marie.curie@example.com\n'), says: /: column 3: not a column name \(is the first line the header\?\)/ },
    { label: 'a JSON file that is a CSV file', file: () => fileOf('csv.json', 'Marie Curie,marie.curie@example.com\n'), says: /: not valid JSON: check that it starts with \[ or \{ and is whole$/ },
    { label: 'JSON with a comma missing', file: () => fileOf('comma.json', '[\n{"tracking_number": "6A12345678911", "carrier": "laposte", "customer_name": "Marie Curie" "customer_city": "Paris"}]'), says: /: not valid JSON \(line 2, column 91\): check the commas, quotes and brackets there$/ },
    { label: 'a column named twice', file: () => fileOf('twice.csv', 'tracking_number,carrier,customer_email,Customer_Email\n6A12345678914,laposte,a@example.com,marie.curie@example.com\n'), says: /: column "customer_email" appears twice: keep one/ },
    { label: 'an empty file', file: () => fileOf('empty.csv', ''), says: /: missing column "tracking_number"/ },
    { label: 'a spreadsheet', file: () => fileOf('orders.xlsx', 'PK'), says: /: expected a \.csv or \.json file$/ },
    { label: 'a folder', file: async () => (await mkdir(path.join(dir, 'folder.csv')), path.join(dir, 'folder.csv')), says: /: not a file$/ },
  ];

  it.each(refusals)('refuses $label as a whole, in one line saying what to do', async ({ file, says }) => {
    const error = await run(await file()).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ImportFileError);
    const { message } = error as ImportFileError;
    expect(message).toMatch(says);
    expect(message).not.toMatch(/[\r\n\u0000\ufffd]/);
    expect(message.toLowerCase()).not.toContain('marie');
    expect(message.length).toBeLessThan(400);
  });

  it('reports each bad row by line and field, never echoing it, and stores none', async () => {
    const file = await fileOf(
      'hostile-rows.csv',
      csv(
        `6\u041012345678911,laposte,,,,`,
        '６Ａ１２３４５６７８９１１,laposte,,,,',
        '6A12345\u200b678911,laposte,,,,',
        '6A1234567891\u0131,laposte,,,,',
        `"'; DROP TABLE shipments;--",laposte,,,,`,
        '<img src=x onerror=alert(1)>,laposte,,,,',
        `${'6'.repeat(5000)},laposte,,,,`,
        '6A12345678911,laposte,"CMD\u001b]0;owned\u0007",,,',
        '6A12345678912,laposte,,2026-02-29,,',
        '6A12345678913,laposte,,10/03/2026,,',
        '6A12345678914,laposte,,2026-03-12,2026-03-11,',
        '6A12345678915,laposte,,,,f\u0131',
        // A stored shipment, with a mistake: its stored values stay.
        '6A12345678901,laposte,CMD-CHANGED,2026-13-01,,',
      ),
    );
    const report = await run(file);
    expect(report).toMatchObject({ rows: 13, inserted: 0, updated: 0, refused: false });
    expect(report.problems).toEqual([
      { line: 2, field: 'tracking_number', message: 'expected letters A-Z and digits only, found U+0410 at position 2: type the number rather than paste it' },
      { line: 3, field: 'tracking_number', message: 'expected letters A-Z and digits only, found U+FF16 at position 1: type the number rather than paste it' },
      { line: 4, field: 'tracking_number', message: 'expected letters A-Z and digits only, found U+200B at position 8: type the number rather than paste it' },
      { line: 5, field: 'tracking_number', message: 'expected letters A-Z and digits only, found U+0131 at position 13: type the number rather than paste it' },
      { line: 6, field: 'tracking_number', message: `expected letters A-Z and digits only, found "'" at position 1` },
      { line: 7, field: 'tracking_number', message: 'expected letters A-Z and digits only, found "<" at position 1' },
      { line: 8, field: 'tracking_number', message: 'expected at most 40 characters, got 5000' },
      { line: 9, field: 'order_ref', message: 'holds the control character U+001B at position 4: remove it' },
      { line: 10, field: 'promised_date', message: 'expected a real calendar date' },
      { line: 11, field: 'promised_date', message: 'expected a date as YYYY-MM-DD' },
      { line: 12, field: 'promised_date', message: 'give either promised_date or promised_from/promised_to, not both' },
      { line: 13, field: 'destination_country', message: 'expected a 2-letter ISO 3166 country code such as FR' },
      { line: 14, field: 'promised_date', message: 'expected a real calendar date' },
    ]);
  });

  it('reports text that no store keeps in a JSON file (NUL, half a surrogate pair) and values of the wrong type', async () => {
    const rows = [
      { tracking_number: '6A12345678911', carrier: 'laposte', order_ref: 'CMD\u00001' },
      { tracking_number: '6A12345678912', carrier: 'laposte', customer_name: 'Camille \ud800', customer_address: '1 rue', customer_postcode: '75001', customer_city: 'Paris' },
      { tracking_number: 6_012_345_678_913, carrier: 'laposte' },
      { tracking_number: '6A12345678914', carrier: 'laposte', order_ref: { $ne: null } },
      { tracking_number: '6A12345678915', carrier: 'laposte', declared_value: '1e400' },
      42,
    ];
    const report = await run(await fileOf('hostile.json', JSON.stringify(rows)));
    expect(report).toMatchObject({ rows: 6, inserted: 0, updated: 0 });
    expect(report.problems).toEqual([
      { line: 1, field: 'order_ref', message: 'holds the control character U+0000 at position 4: remove it' },
      { line: 2, field: 'customer_name', message: 'holds half a surrogate pair U+D800 at position 9: remove it' },
      { line: 3, field: 'tracking_number', message: 'expected text' },
      { line: 4, field: 'order_ref', message: 'expected text' },
      { line: 5, field: 'declared_value', message: 'expected an amount such as 49.90' },
      { line: 6, field: 'tracking_number', message: 'required' },
    ]);
  });

  it('reports duplicates, the same number written two ways included; --strict then imports nothing', async () => {
    const file = await fileOf('duplicates.csv', csv('6A12345678921,laposte,CMD-1,,,', '6A12345678921,laposte,CMD-1,,,', '6a 1234-5678 921,LaPoste,CMD-1 again,,,'));
    const report = await run(file, true);
    expect(report).toMatchObject({ rows: 3, inserted: 0, updated: 0, refused: true });
    expect(report.problems).toEqual([
      { line: 3, field: 'tracking_number', message: 'duplicate of line 2 (same carrier and tracking number)' },
      { line: 4, field: 'tracking_number', message: 'duplicate of line 2 (same carrier and tracking number)' },
    ]);
  });

  it('keeps every stored row as it was, and imports the next good file', async () => {
    expect(await storedRows(db)).toEqual(before);
    expect(await run(await fileOf('good.csv', csv('6A12345678931,laposte,CMD-9,2026-03-12,,FR')))).toMatchObject({ inserted: 1, problems: [] });
  });
});
