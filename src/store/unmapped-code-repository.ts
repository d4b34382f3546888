import type { Sql } from './database.ts';

export interface UnmappedCode {
  carrier: string;
  code: string;
  /** The last raw label seen with it. */
  label: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
}

/** Carrier codes no status map knows, counted as robots meet them, for someone to map. */
export class UnmappedCodeRepository {
  constructor(private readonly sql: Sql) {}

  async list(carrier?: string): Promise<UnmappedCode[]> {
    const rows = await this.sql.query<{ carrier: string; code: string; label: string; first_seen: Date; last_seen: Date; count: number }>(
      `select carrier, code, label, first_seen, last_seen, count from unmapped_codes
       where $1::text is null or carrier = $1 order by count desc, last_seen desc`,
      [carrier ?? null],
    );
    return rows.map((row) => ({
      carrier: row.carrier,
      code: row.code,
      label: row.label,
      firstSeen: row.first_seen.toISOString(),
      lastSeen: row.last_seen.toISOString(),
      count: Number(row.count),
    }));
  }
}
