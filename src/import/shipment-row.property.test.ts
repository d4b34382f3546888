import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RobotRegistry } from '../robot-kit/registry.ts';
import { isDay } from '../testing/domain-checks.ts';
import { mutatedJson } from '../testing/mutated-json.ts';
import { anyText, mutatedBytes, oddJsonValue, oddString } from '../testing/odd-input.ts';
import { PROPERTY_RUNS } from '../testing/parser-properties.ts';
import { checkRows } from './import-shipments.ts';
import { ImportFileError, readShipmentFile } from './read-shipment-file.ts';
import { IMPORT_COLUMNS } from './shipment-row.ts';

// Whatever file a merchant imports, it is read into rows, each a well-formed shipment or a
// problem naming its line and field; or the whole file is refused with ImportFileError. Never a crash.

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/imports/${name}`, import.meta.url), 'utf8');

/** Rows in JSON, each column holding what it should (a value of the valid files) or anything. */
const validValues = (JSON.parse(fixture('valid-shipments.json')) as Record<string, unknown>[]).flatMap((row) => Object.entries(row));
const cell = (column: string) => fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...validValues.filter(([name]) => name === column).map(([, value]) => value), 'FR', 'EUR', '2026-03-12', '6A12345678901', 'laposte') }, oddString, oddJsonValue);
const jsonRows = fc.array(fc.record(Object.fromEntries(IMPORT_COLUMNS.map((column) => [column, cell(column)])), { requiredKeys: ['tracking_number', 'carrier'] }), { maxLength: 5 }).map((rows) => JSON.stringify(rows));

const files = fc.oneof(
  fc.record({ extension: fc.constantFrom('.csv', '.json'), text: anyText }),
  fc.record({ extension: fc.constant('.json'), text: fc.oneof(jsonRows, mutatedJson([fixture('valid-shipments.json')])) }),
  fc.record({ extension: fc.constant('.csv'), text: fc.constantFrom('valid-shipments.csv', 'with-customer-addresses.csv', 'some-bad-rows.csv').chain((name) => mutatedBytes(Buffer.from(fixture(name)))).map((bytes) => bytes.toString('latin1')) }),
);

describe('an import file never crashes the import', () => {
  let folder: string;
  let registry: RobotRegistry;
  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'parcelbot-import-'));
    registry = await RobotRegistry.load();
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('reads rows into well-formed shipments and named problems, or refuses the file as a whole', async () => {
    await fc.assert(
      fc.asyncProperty(files, async ({ extension, text }) => {
        const file = path.join(folder, `shipments${extension}`);
        writeFileSync(file, text);
        let rows;
        try {
          rows = await readShipmentFile(file);
        } catch (error) {
          expect(error).toBeInstanceOf(ImportFileError);
          return;
        }
        const { shipments, problems } = checkRows(rows, registry);
        for (const problem of problems) {
          expect(Number.isInteger(problem.line) && problem.line > 0).toBe(true);
          expect([...IMPORT_COLUMNS, 'row']).toContain(problem.field);
          expect(problem.message).toMatch(/\S/);
        }
        for (const shipment of shipments) {
          expect(shipment.trackingNumber).toMatch(/^[A-Z0-9]{1,40}$/);
          expect(registry.tracker(shipment.carrier)).toBeDefined();
          // Left out, the language and country are the stored ones (or the store's defaults).
          expect([undefined, 'fr', 'en']).toContain(shipment.customerLang);
          expect(shipment.destinationCountry === undefined || /^[A-Z]{2}$/.test(shipment.destinationCountry)).toBe(true);
          expect(shipment.declaredValue === undefined || (Number.isFinite(shipment.declaredValue) && shipment.declaredValue >= 0)).toBe(true);
          expect(shipment.currency === undefined || /^[A-Z]{3}$/.test(shipment.currency)).toBe(true);
          // Half a window is passed as given: the store completes it (the stored other end, or the day given).
          for (const day of [shipment.promisedFrom, shipment.promisedTo]) expect(day === undefined || isDay(day)).toBe(true);
          if (shipment.promisedFrom !== undefined && shipment.promisedTo !== undefined) expect(shipment.promisedFrom <= shipment.promisedTo).toBe(true);
        }
      }),
      PROPERTY_RUNS,
    );
  });
});
