import type { Evidence } from '../robot-kit/robot-error.ts';
import type { Sql } from './database.ts';

export interface NewException {
  carrier: string;
  trackingNumber: string;
  code: string;
  message: string;
  evidence?: Evidence;
  jobId: string;
  openedAt: Date;
  /** Set when the exception asks a manager to approve or reject a follow-up (src/followups/). */
  followUpId?: string;
}

export interface OpenException extends Omit<NewException, 'openedAt' | 'followUpId'> {
  id: number;
  openedAt: string;
}

/** The exception queue: failures a human must look at, with what the robot saw. */
export class ExceptionRepository {
  constructor(private readonly sql: Sql) {}

  /** Idempotent per job and number: a failure retried by BullMQ opens one exception. */
  async open(exception: NewException): Promise<void> {
    await this.sql.query(
      `insert into exceptions (shipment_id, carrier, tracking_number, code, message, evidence, job_id, opened_at, followup_id)
       values ((select id from shipments where carrier = $1 and tracking_number = $2), $1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (job_id, tracking_number) do nothing`,
      [
        exception.carrier,
        exception.trackingNumber,
        exception.code,
        exception.message,
        exception.evidence ? JSON.stringify(exception.evidence) : null,
        exception.jobId,
        exception.openedAt,
        exception.followUpId ?? null,
      ],
    );
  }

  async listOpen(limit = 500): Promise<OpenException[]> {
    const rows = await this.sql.query<Record<string, unknown>>(
      `select id, carrier, tracking_number, code, message, evidence, job_id, opened_at from exceptions
       where resolved_at is null order by opened_at limit $1`,
      [limit],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      carrier: String(row.carrier),
      trackingNumber: String(row.tracking_number),
      code: String(row.code),
      message: String(row.message),
      evidence: (row.evidence ?? undefined) as Evidence | undefined,
      jobId: String(row.job_id),
      openedAt: (row.opened_at as Date).toISOString(),
    }));
  }
}
