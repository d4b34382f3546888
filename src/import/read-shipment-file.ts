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
  const unknownAt = columns.findIndex((column) => !(IMPORT_COLUMNS as readonly string[]).includes(column));
  if (unknownAt >= 0) return unknownColumn(columns[unknownAt] ?? '', unknownAt + 1);
  const duplicate = columns.find((column, index) => columns.indexOf(column) !== index);
  if (duplicate) return `column "${duplicate}" appears twice: keep one (which to import would be a guess)`;
  const missing = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) return `missing column "${missing[0]}": ${REQUIRED_COLUMNS.join(' and ')} are required`;
  return null;
}

/**
 * An unknown column, quoted only when it reads as a column name: the first line of a file
 * without a header holds a customer's name or e-mail, which must not reach a terminal or a log.
 */
function unknownColumn(name: string, position: number): string {
  const columns = `the columns are ${IMPORT_COLUMNS.join(', ')}`;
  if (/^[A-Za-z][A-Za-z0-9_-]{0,39}$/.test(name)) return `unknown column "${name}": ${columns}`;
  return `column ${position}: not a column name (is the first line the header?); ${columns}`;
}

function checkColumns(columns: string[], file: string): void {
  const problem = columnProblem(columns);
  if (problem) throw new ImportFileError(`${file}: ${problem}`);
}

// Why csv-parse refused a file, by its error code: its own messages quote the cells (customer data).
const CSV_ERRORS: Record<string, string> = {
  CSV_INVALID_CLOSING_QUOTE: 'text after the closing quote of a cell: quote the whole cell',
  INVALID_OPENING_QUOTE: 'a quote inside a cell that does not start with one: quote the whole cell and double its quotes ("")',
  CSV_QUOTE_NOT_CLOSED: 'a quote is never closed: close it, or double the quotes inside the cell ("")',
  CSV_RECORD_INCONSISTENT_COLUMNS: 'not as many cells as the header has columns',
};

/** Runs csv-parse, saying its errors by line and cell position only. */
function parsedCsv<T>(file: string, parseIt: () => T): T {
  try {
    return parseIt();
  } catch (error) {
    const { code, lines, index } = error as { code?: string; lines?: number; index?: number };
    const reason = CSV_ERRORS[code ?? ''] ?? `error ${code ?? 'unknown'}`;
    const cell = code === 'CSV_RECORD_INCONSISTENT_COLUMNS' || index === undefined ? '' : `, cell ${index + 1}`;
    throw new ImportFileError(`${file}: not a readable CSV file (line ${lines ?? '?'}${cell}: ${reason})`);
  }
}

/**
 * The separator of the header line: a comma, else a semicolon or a tab (Excel in French saves
 * "CSV" with semicolons, and decimal commas, which declared_value reads).
 */
function delimiterOf(text: string): string {
  const firstLine = text.split('\n', 1)[0] ?? '';
  return [',', ';', '\t'].find((delimiter) => firstLine.includes(delimiter)) ?? ',';
}

function readCsv(text: string, file: string): RawRow[] {
  const delimiter = delimiterOf(text);
  const header = parsedCsv(file, () => parse(text, { delimiter, bom: true, to_line: 1 }))[0] ?? [];
  const columns = header.map((name) => name.trim().toLowerCase());
  // The header first: a file without one is refused for that, not for a cell of its first row.
  checkColumns(columns, file);
  return parsedCsv(file, () =>
    parse(text, {
      delimiter,
      bom: true,
      columns: () => columns,
      skip_empty_lines: true,
      relax_column_count: false,
      on_record: (values: Record<string, string>, context: { lines: number }) => ({ line: context.lines, values }),
    }),
  );
}

function readJson(text: string, file: string): RawRow[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ImportFileError(`${file}: ${jsonErrorAt(text, (error as Error).message)}`);
  }
  const items = Array.isArray(data) ? data : (data as { shipments?: unknown })?.shipments;
  if (!Array.isArray(items)) throw new ImportFileError(`${file}: expected a JSON array of shipments, or {"shipments": [...]}`);
  if (items.length === 0) return [];
  const columns = new Set(items.flatMap((item) => (item && typeof item === 'object' ? Object.keys(item) : [])));
  checkColumns([...columns], file);
  return items.map((item, index) => ({ line: index + 1, values: item && typeof item === 'object' ? (item as Record<string, unknown>) : {} }));
}

/** Where JSON.parse stopped, as line and column: its own message may quote the text (customer data). */
function jsonErrorAt(text: string, message: string): string {
  const position = Number(/at position (\d+)/.exec(message)?.[1]);
  if (Number.isNaN(position)) return 'not valid JSON: check that it starts with [ or { and is whole';
  const linesBefore = text.slice(0, position).split('\n');
  return `not valid JSON (line ${linesBefore.length}, column ${(linesBefore.at(-1)?.length ?? 0) + 1}): check the commas, quotes and brackets there`;
}
