import { readFile, stat } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { IMPORT_COLUMNS, REQUIRED_COLUMNS } from './shipment-row.ts';

/** A file that cannot be imported at all (as opposed to a bad row, which is reported and skipped). */
export class ImportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFileError';
  }
}

export interface RawRow {
  /** The line (CSV) or item number (JSON) a person finds the row at. */
  line: number;
  values: Record<string, unknown>;
}

/**
 * The largest file read: a file is parsed whole, at about 25 bytes of memory per byte of CSV (a
 * 20 MiB file of 450,000 rows takes 0.5 GB). Larger ones are split, as the API's imports are.
 */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export async function readShipmentFile(file: string): Promise<RawRow[]> {
  const info = await stat(file).catch(() => {
    throw new ImportFileError(`${file}: no such file`);
  });
  if (!info.isFile()) throw new ImportFileError(`${file}: not a file`);
  if (info.size > MAX_IMPORT_BYTES) throw new ImportFileError(`${file}: ${Math.round(info.size / 2 ** 20)} MiB is over the ${MAX_IMPORT_BYTES / 2 ** 20} MiB limit: split the file`);
  const text = decodeUtf8(await readFile(file), file);
  if (/\.json$/i.test(file)) return readJson(text, file);
  if (/\.csv$/i.test(file)) return readCsv(text, file);
  throw new ImportFileError(`${file}: expected a .csv or .json file`);
}

function decodeUtf8(bytes: Buffer, file: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ImportFileError(`${file}: not valid UTF-8: save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)`);
  }
  // Valid UTF-8, yet no text: UTF-16 without its byte order mark, or a binary file.
  if (text.includes('\u0000')) throw new ImportFileError(`${file}: not a text file (it holds NUL bytes: UTF-16 or binary): save it as UTF-8 CSV or JSON`);
  return text;
}

/** Why a set of columns (a CSV header, the keys of JSON items) cannot be imported, or null. */
export function columnProblem(columns: readonly string[]): string | null {
  const unknown = columns.filter((column) => !(IMPORT_COLUMNS as readonly string[]).includes(column));
  if (unknown.length > 0) return `unknown column "${unknown[0]?.slice(0, 40)}": the columns are ${IMPORT_COLUMNS.join(', ')}`;
  const missing = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) return `missing column "${missing[0]}": ${REQUIRED_COLUMNS.join(' and ')} are required`;
  return null;
}

function checkColumns(columns: string[], file: string): void {
  const problem = columnProblem(columns);
  if (problem) throw new ImportFileError(`${file}: ${problem}`);
}

function readCsv(text: string, file: string): RawRow[] {
  let records: RawRow[];
  try {
    records = parse(text, { columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()), skip_empty_lines: true, bom: true, relax_column_count: false, on_record: (values: Record<string, string>, context: { lines: number }) => ({ line: context.lines, values }) });
  } catch (error) {
    throw new ImportFileError(`${file}: not a readable CSV file (${(error as Error).message})`);
  }
  const header = parse(text, { to_line: 1, bom: true }) as string[][];
  checkColumns((header[0] ?? []).map((name) => name.trim().toLowerCase()), file);
  return records;
}

function readJson(text: string, file: string): RawRow[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ImportFileError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const items = Array.isArray(data) ? data : (data as { shipments?: unknown })?.shipments;
  if (!Array.isArray(items)) throw new ImportFileError(`${file}: expected a JSON array of shipments, or {"shipments": [...]}`);
  if (items.length === 0) return [];
  const columns = new Set(items.flatMap((item) => (item && typeof item === 'object' ? Object.keys(item) : [])));
  checkColumns([...columns], file);
  return items.map((item, index) => ({ line: index + 1, values: item && typeof item === 'object' ? (item as Record<string, unknown>) : {} }));
}
