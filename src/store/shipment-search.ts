import type { Shipment } from '../domain/shipment.ts';
import type { TrackingStatus } from '../domain/tracking-status.ts';
import { checkTrackingNumberShape, normalizeTrackingNumber } from '../domain/tracking-number.ts';
import type { Verdict } from '../domain/verdict.ts';
import type { Sql } from './database.ts';
import { SHIPMENT_COLUMNS, toShipment } from './shipment-repository.ts';

/** What agents and managers look shipments up by; every field optional. */
export interface ShipmentFilter {
  statuses?: readonly TrackingStatus[];
  /** The verdict stored when the shipment was last judged; a shipment never checked has none. */
  verdicts?: readonly Verdict[];
  carrier?: string;
  channel?: string;
  /** Imported (or first read) within [createdFrom, createdTo). */
  createdFrom?: Date;
  createdTo?: Date;
  /** Promised for a day within [promisedFrom, promisedTo] (YYYY-MM-DD). */
  promisedFrom?: string;
  promisedTo?: string;
  /** A tracking number (or its start), an order reference, or a customer's e-mail address. */
  search?: string;
  /** Keyset pagination, newest first: only shipments whose id is below this one. */
  beforeId?: number;
  limit: number;
}

/** A tracking number's start finds it from this many characters on: shorter would match half the store. */
const PREFIX_MIN = 6;

/** Reads over shipments for the web app and the API: filtered pages, one shipment, its verdict's reasons. */
export class ShipmentSearch {
  constructor(private readonly sql: Sql) {}

  async search(filter: ShipmentFilter): Promise<Shipment[]> {
    const term = filter.search?.trim() || null;
    const isEmail = term?.includes('@') ?? false;
    const normalized = term && !isEmail ? normalizeTrackingNumber(term) : null;
    // Only what could be a number is one: "%" and "_" would be LIKE wildcards, and "%%%%%%" the whole store.
    const number = normalized !== null && checkTrackingNumberShape(normalized) === null ? normalized : null;
    const rows = await this.sql.query(
      `select ${SHIPMENT_COLUMNS} from shipments
       where ($1::text[] is null or status = any($1))
         and ($2::text is null or carrier = $2)
         and ($3::text is null or channel = $3)
         and ($4::timestamptz is null or created_at >= $4)
         and ($5::timestamptz is null or created_at < $5)
         and ($6::date is null or promised_to >= $6)
         and ($7::date is null or promised_to <= $7)
         and ($8::text is null or lower(customer_email) = lower($8))
         and ($10::text is null or tracking_number = $9::text or order_ref = $10 or (length($9) >= ${PREFIX_MIN} and tracking_number like $9 || '%'))
         and ($11::int is null or id < $11)
         and ($13::text[] is null or verdict = any($13))
       order by id desc
       limit $12`,
      [
        filter.statuses?.length ? filter.statuses : null,
        filter.carrier ?? null,
        filter.channel ?? null,
        filter.createdFrom ?? null,
        filter.createdTo ?? null,
        filter.promisedFrom ?? null,
        filter.promisedTo ?? null,
        isEmail ? term : null,
        number,
        isEmail ? null : term,
        filter.beforeId ?? null,
        filter.limit,
        filter.verdicts?.length ? filter.verdicts : null,
      ],
    );
    return rows.map(toShipment);
  }

  async get(id: number): Promise<Shipment | undefined> {
    const [row] = await this.sql.query(`select ${SHIPMENT_COLUMNS} from shipments where id = $1`, [id]);
    return row && toShipment(row);
  }

  /** Why the shipment got its stored verdict, in the judge's sentences (none before it was first judged). */
  async verdictReasons(id: number): Promise<string[]> {
    const [row] = await this.sql.query<{ verdict_reasons: unknown }>('select verdict_reasons from shipments where id = $1', [id]);
    return Array.isArray(row?.verdict_reasons) ? row.verdict_reasons.map(String) : [];
  }
}
