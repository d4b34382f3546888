import type { Verdict } from '../domain/verdict.ts';
import type { Sql } from './database.ts';

/** The verdicts a late rate counts as late: late now, delivered late, or suspected lost. */
export const LATE_VERDICTS: readonly Verdict[] = ['late', 'delivered_late', 'lost_suspected'];

export interface AgeBucket {
  label: string;
  /** Upper bound of the bucket's age in hours; null for the last, open-ended one. */
  maxHours: number | null;
  count: number;
}

export interface RobotHealth {
  robot: string;
  /** Agents' look-ups finished in the window, and how many of them the robot answered (found or not found). */
  lookups: number;
  answered: number;
  /** Look-ups whose job failed after its last attempt. */
  failed: number;
  /** Seconds from the agent's request to the answer (queue wait included: what the agent lives). */
  p50Seconds: number | null;
  p95Seconds: number | null;
  lastError?: { code: string; message: string; at: string };
  /** Exceptions opened for this robot in the window, any origin (agents and sweeps). */
  errors: number;
}

/** The open exceptions' age buckets: what a manager sees piling up. */
const AGE_BUCKETS: readonly { label: string; maxHours: number | null }[] = [
  { label: 'under 1 h', maxHours: 1 },
  { label: '1–24 h', maxHours: 24 },
  { label: '1–3 days', maxHours: 72 },
  { label: '3–7 days', maxHours: 168 },
  { label: 'over 7 days', maxHours: null },
];

/** Aggregates over the store for the dashboard and /metrics: the numbers every process agrees on. */
export class OperationsStats {
  constructor(private readonly sql: Sql) {}

  async openExceptionsByAge(now: Date): Promise<AgeBucket[]> {
    const rows = await this.sql.query<{ hours: number }>(
      `select extract(epoch from ($1::timestamptz - opened_at)) / 3600 as hours from exceptions where resolved_at is null`,
      [now],
    );
    const buckets = AGE_BUCKETS.map((bucket) => ({ ...bucket, count: 0 }));
    for (const { hours } of rows) {
      const bucket = buckets.find((entry) => entry.maxHours === null || Number(hours) < entry.maxHours);
      if (bucket) bucket.count += 1;
    }
    return buckets;
  }

  async openExceptionsByCode(): Promise<{ carrier: string; code: string; count: number }[]> {
    const rows = await this.sql.query<{ carrier: string; code: string; n: number }>(
      'select carrier, code, count(*)::int as n from exceptions where resolved_at is null group by carrier, code order by carrier, code',
    );
    return rows.map((row) => ({ carrier: row.carrier, code: row.code, count: Number(row.n) }));
  }

  /**
   * Per carrier, the shipments created since `since` that were judged (a stored verdict), and
   * how many of them are late: counted by the database from the stored verdicts.
   */
  async lateByCarrier(since: Date): Promise<{ carrier: string; late: number; total: number }[]> {
    const rows = await this.sql.query<{ carrier: string; late: number; total: number }>(
      `select carrier, count(*) filter (where verdict = any($2::text[]))::int as late, count(*)::int as total
       from shipments where created_at >= $1 and verdict is not null group by carrier order by carrier`,
      [since, LATE_VERDICTS],
    );
    return rows.map((row) => ({ carrier: row.carrier, late: Number(row.late), total: Number(row.total) }));
  }

  /** How many look-ups each case (tracking number) took since `since`: 1 is "once and done". */
  async contactsPerCase(since: Date): Promise<{ contacts: number; cases: number }[]> {
    const rows = await this.sql.query<{ contacts: number; cases: number }>(
      `select least(n, 5) as contacts, count(*)::int as cases
       from (select tracking_number, count(*) as n from lookups where requested_at >= $1 group by tracking_number) per_case
       group by least(n, 5) order by contacts`,
      [since],
    );
    return rows.map((row) => ({ contacts: Number(row.contacts), cases: Number(row.cases) }));
  }

  async robotHealth(since: Date): Promise<RobotHealth[]> {
    const lookups = await this.sql.query<Record<string, unknown>>(
      `select carrier, count(*)::int as lookups,
         count(*) filter (where outcome in ('found', 'not_found'))::int as answered,
         count(*) filter (where outcome = 'failed')::int as failed,
         percentile_cont(0.5) within group (order by extract(epoch from finished_at - requested_at)) as p50,
         percentile_cont(0.95) within group (order by extract(epoch from finished_at - requested_at)) as p95
       from lookups where finished_at is not null and requested_at >= $1 group by carrier`,
      [since],
    );
    const errors = await this.sql.query<Record<string, unknown>>(
      `select carrier, count(*)::int as n, (array_agg(code order by opened_at desc))[1] as code,
         (array_agg(message order by opened_at desc))[1] as message, max(opened_at) as at
       from exceptions where opened_at >= $1 group by carrier`,
      [since],
    );
    const robots = [...new Set([...lookups, ...errors].map((row) => String(row.carrier)))].sort();
    return robots.map((robot) => {
      const usage = lookups.find((row) => row.carrier === robot);
      const error = errors.find((row) => row.carrier === robot);
      const seconds = (value: unknown) => (value == null ? null : Number(value));
      return {
        robot,
        lookups: Number(usage?.lookups ?? 0),
        answered: Number(usage?.answered ?? 0),
        failed: Number(usage?.failed ?? 0),
        p50Seconds: seconds(usage?.p50),
        p95Seconds: seconds(usage?.p95),
        errors: Number(error?.n ?? 0),
        ...(error ? { lastError: { code: String(error.code), message: String(error.message), at: (error.at as Date).toISOString() } } : {}),
      };
    });
  }
}
