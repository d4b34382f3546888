import type { Shipment } from '../domain/shipment.ts';
import type { TrackingEvent } from '../domain/tracking-event.ts';
import type { TrackingStatus } from '../domain/tracking-status.ts';
import { normalizeTrackingNumber } from '../domain/tracking-number.ts';
import type { Sql } from './database.ts';
import { SHIPMENT_COLUMNS, toShipment } from './shipment-repository.ts';
import { EVENT_COLUMNS, toTrackingEvent } from './tracking-repository.ts';

/** What agents and managers look shipments up by; every field optional. */
export interface ShipmentFilter {
  statuses?: readonly TrackingStatus[];
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

/** Reads over shipments for the web app and the API: filtered pages, one shipment, many timelines. */
export class ShipmentSearch {
  constructor(private readonly sql: Sql) {}

  async search(filter: ShipmentFilter): Promise<Shipment[]> {
    const term = filter.search?.trim() || null;
    const isEmail = term?.includes('@') ?? false;
    const number = term && !isEmail ? normalizeTrackingNumber(term) : null;
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
         and ($9::text is null or tracking_number = $9 or order_ref = $10 or (length($9) >= ${PREFIX_MIN} and tracking_number like $9 || '%'))
         and ($11::int is null or id < $11)
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
        term,
        filter.beforeId ?? null,
        filter.limit,
      ],
    );
    return rows.map(toShipment);
  }

  async get(id: number): Promise<Shipment | undefined> {
    const [row] = await this.sql.query(`select ${SHIPMENT_COLUMNS} from shipments where id = $1`, [id]);
    return row && toShipment(row);
  }

  /** The timelines of several shipments at once (newest event first): verdicts of a page in one query. */
  async timelines(shipmentIds: readonly number[]): Promise<Map<number, TrackingEvent[]>> {
    const timelines = new Map<number, TrackingEvent[]>(shipmentIds.map((id) => [id, []]));
    if (shipmentIds.length === 0) return timelines;
    const rows = await this.sql.query(
      `select shipment_id, ${EVENT_COLUMNS} from tracking_events where shipment_id = any($1) order by shipment_id, occurred_at desc, id desc`,
      [shipmentIds],
    );
    for (const row of rows) timelines.get(Number(row.shipment_id))?.push(toTrackingEvent(row));
    return timelines;
  }

  /** Agents' look-ups of each number: a case's contacts. */
  async contacts(trackingNumbers: readonly string[]): Promise<Map<string, number>> {
    if (trackingNumbers.length === 0) return new Map();
    const rows = await this.sql.query<{ tracking_number: string; n: number }>(
      'select tracking_number, count(*)::int as n from lookups where tracking_number = any($1) group by tracking_number',
      [trackingNumbers],
    );
    return new Map(rows.map((row) => [row.tracking_number, Number(row.n)]));
  }
}
