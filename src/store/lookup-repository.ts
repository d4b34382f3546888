import type { Sql } from './database.ts';

export type LookupOutcome = 'found' | 'not_found' | 'rejected' | 'failed';

export interface LookupStart {
  jobId: string;
  trackingNumber: string;
  carrier: string;
  requestedBy: string;
  requestedAt: Date;
}

export interface LookupFinish {
  finishedAt: Date;
  outcome: LookupOutcome;
  status?: string;
  errorCode?: string;
  result?: unknown;
}

export interface StoredLookup {
  jobId: string;
  trackingNumber: string;
  carrier: string;
  requestedBy: string;
  requestedAt: string;
  finishedAt?: string;
  outcome?: LookupOutcome;
  errorCode?: string;
  /** The answer (a LookupAnswer) when found, else `{ message }`. */
  result?: unknown;
}

/** Agents' look-ups: who asked about which parcel, when, and the answer they got. */
export class LookupRepository {
  constructor(private readonly sql: Sql) {}

  /** Idempotent: a retried job records its look-up once. */
  async start(lookup: LookupStart): Promise<void> {
    await this.sql.query(
      `insert into lookups (job_id, tracking_number, carrier, requested_by, requested_at) values ($1, $2, $3, $4, $5)
       on conflict (job_id) do nothing`,
      [lookup.jobId, lookup.trackingNumber, lookup.carrier, lookup.requestedBy, lookup.requestedAt],
    );
  }

  async finish(jobId: string, finish: LookupFinish): Promise<void> {
    await this.sql.query(
      'update lookups set finished_at = $2, outcome = $3, status = $4, error_code = $5, result = $6 where job_id = $1',
      [jobId, finish.finishedAt, finish.outcome, finish.status ?? null, finish.errorCode ?? null, finish.result === undefined ? null : JSON.stringify(finish.result)],
    );
  }

  /** One look-up by its job id, once a worker has taken it. */
  async get(jobId: string): Promise<StoredLookup | undefined> {
    const [row] = await this.sql.query<Record<string, unknown>>(
      'select job_id, tracking_number, carrier, requested_by, requested_at, finished_at, outcome, status, error_code, result from lookups where job_id = $1',
      [jobId],
    );
    if (!row) return undefined;
    return {
      jobId: String(row.job_id),
      trackingNumber: String(row.tracking_number),
      carrier: String(row.carrier),
      requestedBy: String(row.requested_by),
      requestedAt: (row.requested_at as Date).toISOString(),
      finishedAt: row.finished_at == null ? undefined : (row.finished_at as Date).toISOString(),
      outcome: (row.outcome ?? undefined) as LookupOutcome | undefined,
      errorCode: row.error_code == null ? undefined : String(row.error_code),
      result: row.result ?? undefined,
    };
  }

  async listFor(trackingNumber: string): Promise<{ requestedBy: string; requestedAt: Date; outcome: string | null; status: string | null }[]> {
    const rows = await this.sql.query<{ requested_by: string; requested_at: Date; outcome: string | null; status: string | null }>(
      'select requested_by, requested_at, outcome, status from lookups where tracking_number = $1 order by requested_at desc',
      [trackingNumber],
    );
    return rows.map((row) => ({ requestedBy: row.requested_by, requestedAt: row.requested_at, outcome: row.outcome, status: row.status }));
  }
}
