import { checkNamedCarrier } from '../robot-kit/choose-carrier.ts';
import type { RobotRegistry } from '../robot-kit/registry.ts';
import type { Database } from '../store/database.ts';
import { transactionRetryingDeadlocks } from '../store/deadlock-retry.ts';
import { ShipmentRepository, type ShipmentWrite } from '../store/shipment-repository.ts';
import { type RawRow, readShipmentFile } from './read-shipment-file.ts';
import { checkShipmentRow } from './shipment-row.ts';

export interface RowProblem {
  line: number;
  field: string;
  message: string;
}

export interface ImportReport {
  rows: number;
  inserted: number;
  updated: number;
  problems: RowProblem[];
  /** True when --strict refused the whole file because of its problems. */
  refused: boolean;
}

/** Checks every row: the good ones, and each bad one with its line, field and reason. */
export function checkRows(rows: readonly RawRow[], registry: RobotRegistry): { shipments: ShipmentWrite[]; problems: RowProblem[] } {
  const checkCarrier = (carrier: string, trackingNumber: string) => {
    const problem = checkNamedCarrier(registry, carrier, trackingNumber);
    return problem && { field: problem.field === 'carrier' ? 'carrier' : 'tracking_number', message: problem.message };
  };
  const shipments: ShipmentWrite[] = [];
  const problems: RowProblem[] = [];
  const firstLineOf = new Map<string, number>();
  for (const row of rows) {
    const check = checkShipmentRow(row.values, checkCarrier);
    if (!check.ok) {
      problems.push({ line: row.line, field: check.field, message: check.message });
      continue;
    }
    const key = `${check.shipment.carrier}\u0000${check.shipment.trackingNumber}`;
    const first = firstLineOf.get(key);
    if (first !== undefined) {
      problems.push({ line: row.line, field: 'tracking_number', message: `duplicate of line ${first} (same carrier and tracking number)` });
      continue;
    }
    firstLineOf.set(key, row.line);
    shipments.push(check.shipment);
  }
  return { shipments, problems };
}

/**
 * Reads and checks the whole file before the store is opened (`openDb`): a file that cannot be
 * imported is said at once, even while another process holds an embedded store.
 */
export async function importShipmentFile(file: string, options: ImportOptions): Promise<ImportReport> {
  return importRows(await readShipmentFile(file), options);
}

export interface ImportOptions {
  strict: boolean;
  registry: RobotRegistry;
  openDb: () => Promise<Database>;
  now: Date;
}

/** Checks every row, then stores the good ones in one transaction (none with `strict` when any is bad). */
export async function importRows(rows: readonly RawRow[], options: ImportOptions): Promise<ImportReport> {
  const { shipments, problems } = checkRows(rows, options.registry);
  if (options.strict && problems.length > 0) return { rows: rows.length, inserted: 0, updated: 0, problems, refused: true };
  const db = await options.openDb();
  // One transaction: an import that fails half-way leaves the store as it was.
  const counts = await transactionRetryingDeadlocks(db, (tx) => new ShipmentRepository(tx).upsertMany(shipments, options.now));
  return { rows: rows.length, ...counts, problems, refused: false };
}
