import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RobotRegistry } from '../robot-kit/registry.ts';
import type { Database } from '../store/database.ts';
import { ShipmentRepository } from '../store/shipment-repository.ts';
import { openTestDatabase } from '../store/test-database.ts';
import { importRows, importShipmentFile } from './import-shipments.ts';

const file = (name: string) => new URL(`../../fixtures/imports/${name}`, import.meta.url).pathname;
const now = new Date('2026-03-09T10:00:00Z');

describe('importShipmentFile', () => {
  let db: Database & { drop(): Promise<void> };
  let registry: RobotRegistry;
  beforeEach(async () => {
    db = await openTestDatabase();
    registry = await RobotRegistry.load();
  });
  afterEach(async () => db.drop());
  const run = (name: string, strict = false) => importShipmentFile(file(name), { strict, registry, openDb: async () => db, now });
  const runRows = (...rows: Record<string, string>[]) => importRows(rows.map((values, index) => ({ line: index + 2, values })), { strict: false, registry, openDb: async () => db, now });

  it('imports a clean CSV, normalizing numbers, carriers, amounts and countries', async () => {
    expect(await run('valid-shipments.csv')).toMatchObject({ rows: 3, inserted: 3, updated: 0, problems: [], refused: false });
    const stored = await new ShipmentRepository(db).find('laposte', '6A12345678902');
    expect(stored).toMatchObject({ orderRef: 'CMD-1002', customerLang: 'en', declaredValue: 19.5, currency: 'EUR', destinationCountry: 'BE', promisedFrom: '2026-03-13', promisedTo: '2026-03-13' });
  });

  it('re-imports a file without language or country columns keeping the stored ones', async () => {
    await run('valid-shipments.csv');
    expect(await run('reimport-without-lang-country.csv')).toMatchObject({ inserted: 0, updated: 1, problems: [] });
    const stored = await new ShipmentRepository(db).find('laposte', '6A12345678902');
    expect(stored).toMatchObject({ orderRef: 'CMD-1002-B', customerLang: 'en', destinationCountry: 'BE' });
  });

  it('gives a new shipment without language or country the defaults fr and FR', async () => {
    await run('reimport-without-lang-country.csv');
    expect(await new ShipmentRepository(db).find('laposte', '6A12345678902')).toMatchObject({ customerLang: 'fr', destinationCountry: 'FR' });
  });

  describe('a re-import whose cells are blank keeps the stored values, not a new shipment\'s defaults', () => {
    const number = { tracking_number: '6A12345678904', carrier: 'laposte' };
    const address = { customer_name: 'Jonas Weber', customer_address: 'Hauptstraße 5', customer_postcode: '10115', customer_city: 'Berlin' };
    const stored = () => new ShipmentRepository(db).find('laposte', number.tracking_number);

    it('an amount without a currency is in the stored currency, EUR for a new shipment', async () => {
      await runRows({ ...number, declared_value: '80' });
      expect(await stored()).toMatchObject({ declaredValue: 80, currency: 'EUR' });
      await runRows({ ...number, currency: 'USD' });
      await runRows({ ...number, declared_value: '90' });
      expect(await stored()).toMatchObject({ declaredValue: 90, currency: 'USD' });
    });

    it('an address without a country is in the stored destination country, FR for a new shipment', async () => {
      await runRows({ ...number, ...address });
      expect((await stored())?.customerAddress?.country).toBe('FR');
      await runRows({ ...number, destination_country: 'de' });
      await runRows({ ...number, ...address });
      expect(await stored()).toMatchObject({ destinationCountry: 'DE', customerAddress: { name: 'Jonas Weber', city: 'Berlin', country: 'DE' } });
    });

    it('an address without a phone keeps the stored phone; a phone given replaces it', async () => {
      await runRows({ ...number, ...address, customer_phone: '+49 30 1234567' });
      await runRows({ ...number, ...address, customer_city: 'Berlin-Mitte' });
      expect((await stored())?.customerAddress).toMatchObject({ city: 'Berlin-Mitte', phone: '+49 30 1234567' });
      await runRows({ ...number, ...address, customer_phone: '+49 30 7654321' });
      expect((await stored())?.customerAddress?.phone).toBe('+49 30 7654321');
    });

    it('a phone or a line 2 without the address it belongs to is a bad row, not dropped without a word', async () => {
      await runRows({ ...number, ...address, customer_phone: '+49 30 1234567' });
      const reports = [await runRows({ ...number, customer_phone: '+49 30 7654321' }), await runRows({ ...number, customer_address_2: 'Hinterhaus' })];
      const parts = '(an address has customer_name, customer_address, customer_postcode, customer_city)';
      expect(reports.map((report) => report.problems)).toEqual([
        [{ line: 2, field: 'customer_name', message: `required with customer_phone ${parts}` }],
        [{ line: 2, field: 'customer_name', message: `required with customer_address_2 ${parts}` }],
      ]);
      expect((await stored())?.customerAddress).toMatchObject({ line1: 'Hauptstraße 5', phone: '+49 30 1234567' });
    });

    it('an address without a line 2 keeps the stored one at the same street, not at a new street', async () => {
      await runRows({ ...number, ...address, customer_address_2: 'Hinterhaus, 3. OG' });
      await runRows({ ...number, ...address, customer_name: 'J. Weber' });
      expect((await stored())?.customerAddress).toMatchObject({ name: 'J. Weber', line1: 'Hauptstraße 5', line2: 'Hinterhaus, 3. OG' });
      // The stored line 2 belongs to the old street: on the new one it would misdirect the parcel.
      await runRows({ ...number, ...address, customer_address: 'Torstraße 1' });
      expect((await stored())?.customerAddress).toEqual({ name: 'Jonas Weber', line1: 'Torstraße 1', postcode: '10115', city: 'Berlin', country: 'FR' });
    });

    it('half a promised window keeps the stored other end while the two make a window, one day for a new shipment', async () => {
      await runRows({ ...number, promised_to: '2026-03-12' });
      expect(await stored()).toMatchObject({ promisedFrom: '2026-03-12', promisedTo: '2026-03-12' });
      await runRows({ ...number, promised_from: '2026-03-10' });
      expect(await stored()).toMatchObject({ promisedFrom: '2026-03-10', promisedTo: '2026-03-12' });
      await runRows({ ...number, promised_to: '2026-03-16' });
      expect(await stored()).toMatchObject({ promisedFrom: '2026-03-10', promisedTo: '2026-03-16' });
      // Past the stored end: the stored window cannot hold it, the day given is the promise.
      await runRows({ ...number, promised_from: '2026-03-20' });
      expect(await stored()).toMatchObject({ promisedFrom: '2026-03-20', promisedTo: '2026-03-20' });
    });
  });

  it('imports a JSON array the same way', async () => {
    expect(await run('valid-shipments.json')).toMatchObject({ rows: 2, inserted: 2, problems: [] });
  });

  it('imports the customer address a return label is sent from, whole or not at all', async () => {
    const report = await run('with-customer-addresses.csv');
    expect(report.problems).toEqual([
      { line: 3, field: 'customer_postcode', message: 'required with customer_name (an address has customer_name, customer_address, customer_postcode, customer_city)' },
    ]);
    const shipments = new ShipmentRepository(db);
    expect((await shipments.find('laposte', '6A12345678901'))?.customerAddress).toEqual({
      name: 'Camille Martin',
      line1: '12 rue des Écoles',
      line2: 'Bâtiment B',
      postcode: '75005',
      city: 'Paris',
      country: 'FR',
      phone: '+33 6 12 34 56 78',
    });
    expect((await shipments.find('laposte', '6A12345678903'))?.customerAddress).toBeUndefined();
  });

  it('reports each bad row with its line, field and reason, and imports the good ones', async () => {
    const report = await run('some-bad-rows.csv');
    expect(report.problems).toEqual([
      { line: 3, field: 'tracking_number', message: 'La Poste numbers have 11 to 15 letters or digits' },
      { line: 4, field: 'carrier', message: expect.stringMatching(/^unknown carrier "dhl-express": expected one of .*laposte/) },
      { line: 5, field: 'customer_email', message: 'expected an e-mail address such as name@example.com' },
      { line: 6, field: 'declared_value', message: 'expected an amount of 0 or more' },
      { line: 7, field: 'promised_date', message: 'expected a real calendar date' },
      { line: 8, field: 'promised_to', message: 'must not be before promised_from' },
      { line: 9, field: 'tracking_number', message: 'duplicate of line 2 (same carrier and tracking number)' },
      { line: 10, field: 'tracking_number', message: 'expected a tracking number, got nothing' },
    ]);
    expect(report).toMatchObject({ rows: 10, inserted: 2, refused: false });
  });

  it('reports a promised date outside 2000-2099 as a bad row, and imports the good ones', async () => {
    const report = await run('year-zero.csv');
    expect(report.problems).toEqual([
      { line: 3, field: 'promised_date', message: 'expected a year from 2000 to 2099' },
      { line: 4, field: 'promised_to', message: 'expected a year from 2000 to 2099' },
    ]);
    expect(report).toMatchObject({ rows: 3, inserted: 1, refused: false });
  });

  it('reads a French Excel file: semicolons between cells, decimal commas', async () => {
    expect(await run('excel-fr-semicolons.csv')).toMatchObject({ rows: 1, inserted: 1, problems: [] });
    expect(await new ShipmentRepository(db).find('laposte', '6A12345678961')).toMatchObject({ orderRef: 'CMD-61', declaredValue: 12.5 });
  });

  it('imports nothing with --strict when a row is bad, and keeps what was stored', async () => {
    await run('valid-shipments.csv');
    const report = await run('some-bad-rows.csv', true);
    expect(report).toMatchObject({ refused: true, inserted: 0, updated: 0 });
    expect((await new ShipmentRepository(db).find('laposte', '6A12345678901'))?.orderRef).toBe('CMD-1001');
  });

  it.each([
    ['unknown-column.csv', /unknown column "tracking": the columns are tracking_number, carrier/],
    ['missing-carrier-column.csv', /missing column "carrier"/],
    ['latin1-encoded.csv', /not valid UTF-8: save it as UTF-8/],
    ['not-a-list.json', /expected a JSON array of shipments/],
    ['no-such-file.csv', /no such file/],
  ])('refuses %s as a whole with a clear message', async (name, message) => {
    await expect(run(name)).rejects.toThrow(message);
  });

  // PGlite has one connection: its transactions run one after the other, so only a server can deadlock.
  describe.skipIf(!process.env.DATABASE_URL)('two imports of the same shipments at once (DATABASE_URL)', () => {
    it('both succeed whatever order their files give the shipments in, and report the lines of their files', async () => {
      // Over two slices of an upsert (1,000 rows): each import has written rows before it meets the other's.
      const shipments = Array.from({ length: 2500 }, (_, index) => ({ tracking_number: `6A${String(index).padStart(11, '0')}`, carrier: 'laposte', order_ref: `CMD-${index}` }));
      const badRow = { tracking_number: '6A1', carrier: 'laposte' };
      const forward = [...shipments, badRow];
      const backward = [badRow, ...shipments.toReversed()];
      // The first round creates the shipments, the next ones update them.
      for (let round = 0; round < 4; round += 1) {
        const reports = await Promise.all([runRows(...forward), runRows(...backward)]);
        expect(reports.map((report) => report.problems.map((problem) => problem.line))).toEqual([[2502], [2]]);
        expect(reports.map((report) => report.inserted + report.updated)).toEqual([2500, 2500]);
        if (round === 0) {
          // The import that took the first shipment created them all, with ids in its file's order.
          expect(reports.map((report) => report.inserted).toSorted()).toEqual([0, 2500]);
          const created = (await new ShipmentRepository(db).list(3000)).map((shipment) => shipment.orderRef);
          expect([shipments, shipments.toReversed()].map((rows) => rows.map((row) => row.order_ref))).toContainEqual(created);
        }
      }
    });
  });
});
