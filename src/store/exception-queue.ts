import type { FollowUpKind, FollowUpState } from '../domain/follow-up.ts';
import type { Evidence } from '../robot-kit/robot-error.ts';
import type { Sql } from './database.ts';

/** How a manager closed an exception (the `resolution` column's check lists the same). */
export type ExceptionResolution = 'resolved' | 'retried' | 'approved' | 'rejected';

export const EXCEPTION_SORTS = ['oldest', 'newest', 'highest_value', 'lowest_value'] as const;
export type ExceptionSort = (typeof EXCEPTION_SORTS)[number];

/** What the manager's queue filters on; every field optional. */
export interface ExceptionFilter {
  state?: 'open' | 'closed' | 'all';
  codes?: readonly string[];
  carrier?: string;
  /** Opened at or before this instant (a minimum age). */
  openedBefore?: Date;
  /** Opened at or after this instant (a maximum age). */
  openedAfter?: Date;
  minValue?: number;
  maxValue?: number;
  sort?: ExceptionSort;
  limit?: number;
  offset?: number;
}

/** An exception as the queue shows it, with its shipment's order side. */
export interface QueuedException {
  id: number;
  shipmentId?: number;
  carrier: string;
  trackingNumber: string;
  code: string;
  message: string;
  jobId: string;
  openedAt: string;
  orderRef?: string;
  declaredValue?: number;
  currency?: string;
  followUpId?: string;
  /** The follow-up it names, as it stands now: a manager decides on one `awaiting_approval`. */
  followUp?: { kind: FollowUpKind; state: FollowUpState };
  resolvedAt?: string;
  resolvedBy?: string;
  resolution?: ExceptionResolution;
  resolutionNote?: string;
  evidence?: Evidence;
}

const ORDER_BY: Record<ExceptionSort, string> = {
  oldest: 'e.opened_at asc, e.id asc',
  newest: 'e.opened_at desc, e.id desc',
  highest_value: 's.declared_value desc nulls last, e.opened_at asc, e.id asc',
  lowest_value: 's.declared_value asc nulls last, e.opened_at asc, e.id asc',
};

const QUEUE_COLUMNS = `e.id, e.shipment_id, e.carrier, e.tracking_number, e.code, e.message, e.job_id, e.opened_at, e.followup_id,
  e.resolved_at, e.resolved_by, e.resolution, e.resolution_note, s.order_ref, s.declared_value, s.currency, f.kind as followup_kind, f.state as followup_state`;

/** Each exception with its shipment's order side and the follow-up it names. */
const QUEUE_FROM = 'exceptions e left join shipments s on s.id = e.shipment_id left join followups f on f.id = e.followup_id';

const optionalText = (value: unknown): string | undefined => (value == null ? undefined : String(value));

function toQueued(row: Record<string, unknown>): QueuedException {
  return {
    id: Number(row.id),
    shipmentId: row.shipment_id == null ? undefined : Number(row.shipment_id),
    carrier: String(row.carrier),
    trackingNumber: String(row.tracking_number),
    code: String(row.code),
    message: String(row.message),
    jobId: String(row.job_id),
    openedAt: (row.opened_at as Date).toISOString(),
    orderRef: optionalText(row.order_ref),
    declaredValue: row.declared_value == null ? undefined : Number(row.declared_value),
    currency: optionalText(row.currency),
    followUpId: optionalText(row.followup_id),
    ...(row.followup_kind == null ? {} : { followUp: { kind: row.followup_kind as FollowUpKind, state: row.followup_state as FollowUpState } }),
    resolvedAt: row.resolved_at == null ? undefined : (row.resolved_at as Date).toISOString(),
    resolvedBy: optionalText(row.resolved_by),
    resolution: optionalText(row.resolution) as ExceptionResolution | undefined,
    resolutionNote: optionalText(row.resolution_note),
    ...(row.evidence == null ? {} : { evidence: row.evidence as Evidence }),
  };
}

/** The queue's reads and a manager's actions on exceptions. */
export class ExceptionQueue {
  constructor(private readonly sql: Sql) {}

  /**
   * A page of exceptions and how many match in all. Evidence stays out: `get` has it. Counted
   * on its own: a page past the end (rows closed since its link was made) still says how many there are.
   */
  async list(filter: ExceptionFilter): Promise<{ total: number; items: QueuedException[] }> {
    const matching = `from ${QUEUE_FROM}
       where ($1 = 'all' or ($1 = 'open') = (e.resolved_at is null))
         and ($2::text[] is null or e.code = any($2))
         and ($3::text is null or e.carrier = $3)
         and ($4::timestamptz is null or e.opened_at <= $4)
         and ($5::timestamptz is null or e.opened_at >= $5)
         and ($6::numeric is null or s.declared_value >= $6)
         and ($7::numeric is null or s.declared_value <= $7)`;
    const params = [
      filter.state ?? 'open',
      filter.codes?.length ? filter.codes : null,
      filter.carrier ?? null,
      filter.openedBefore ?? null,
      filter.openedAfter ?? null,
      filter.minValue ?? null,
      filter.maxValue ?? null,
    ];
    const [count] = await this.sql.query(`select count(*)::int as n ${matching}`, params);
    const rows = await this.sql.query(`select ${QUEUE_COLUMNS} ${matching} order by ${ORDER_BY[filter.sort ?? 'oldest']} limit $8 offset $9`, [...params, filter.limit ?? 100, filter.offset ?? 0]);
    return { total: Number(count?.n ?? 0), items: rows.map(toQueued) };
  }

  async get(id: number): Promise<QueuedException | undefined> {
    const [row] = await this.sql.query(`select ${QUEUE_COLUMNS}, e.evidence from ${QUEUE_FROM} where e.id = $1`, [id]);
    return row && toQueued(row);
  }

  /** Every exception of a shipment, newest first, with evidence: a case's evidence. */
  async forShipment(shipmentId: number): Promise<QueuedException[]> {
    const rows = await this.sql.query(
      `select ${QUEUE_COLUMNS}, e.evidence from ${QUEUE_FROM} where e.shipment_id = $1 order by e.opened_at desc, e.id desc`,
      [shipmentId],
    );
    return rows.map(toQueued);
  }

  /** Closes an open exception; false when it was closed already (two managers, one click each). */
  async close(id: number, closing: { by: string; resolution: ExceptionResolution; note?: string; at: Date }): Promise<boolean> {
    const rows = await this.sql.query(
      `update exceptions set resolved_at = $2, resolved_by = $3, resolution = $4, resolution_note = $5
       where id = $1 and resolved_at is null returning id`,
      [id, closing.at, closing.by, closing.resolution, closing.note ?? null],
    );
    return rows.length > 0;
  }

  /**
   * Opens again an exception this very closing closed (same who, how and when): a manager's action
   * that failed after taking it gives it back, as if nobody had acted.
   */
  async reopen(id: number, closing: { by: string; resolution: ExceptionResolution; at: Date }): Promise<void> {
    await this.sql.query(
      `update exceptions set resolved_at = null, resolved_by = null, resolution = null, resolution_note = null
       where id = $1 and resolved_at = $2 and resolved_by = $3 and resolution = $4`,
      [id, closing.at, closing.by, closing.resolution],
    );
  }
}
