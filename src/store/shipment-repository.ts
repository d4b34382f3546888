import type { CustomerLanguage, Shipment, ShipmentInput } from '../domain/shipment.ts';
import type { StatusReason } from '../domain/status-reason.ts';
import type { TrackingStatus } from '../domain/tracking-status.ts';
import type { Row, Sql } from './database.ts';

const COLUMNS = `id, tracking_number, carrier, order_ref, channel, customer_email, customer_lang, declared_value, currency,
  destination_country, promised_from, promised_to, product, status, status_reason, estimated_from, estimated_to,
  delivered_at, is_final, anomaly, last_checked_at, created_at`;
/** The columns `toShipment` reads, for other queries over shipments. */
export const SHIPMENT_COLUMNS = COLUMNS;

// Rows are written in slices so one statement never carries an unbounded JSON document.
const IMPORT_SLICE = 1000;

export interface ImportCounts {
  inserted: number;
  updated: number;
}

export interface SweepTarget {
  id: number;
  carrier: string;
  trackingNumber: string;
}

export class ShipmentRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Creates or updates shipments by (carrier, tracking number). A blank field of an update keeps
   * the stored value: a partial re-import never erases what was known. Statuses are the robots'.
   */
  async upsertMany(inputs: readonly ShipmentInput[], now: Date): Promise<ImportCounts> {
    const counts = { inserted: 0, updated: 0 };
    for (let start = 0; start < inputs.length; start += IMPORT_SLICE) {
      const slice = inputs.slice(start, start + IMPORT_SLICE).map(toRecord);
      const rows = await this.sql.query<{ inserted: boolean }>(
        `insert into shipments (tracking_number, carrier, order_ref, channel, customer_email, customer_lang, declared_value,
           currency, destination_country, promised_from, promised_to, created_at, updated_at)
         select r.tracking_number, r.carrier, r.order_ref, r.channel, r.customer_email, r.customer_lang, r.declared_value,
           r.currency, r.destination_country, r.promised_from, r.promised_to, $2, $2
         from jsonb_to_recordset($1::jsonb) as r(tracking_number text, carrier text, order_ref text, channel text,
           customer_email text, customer_lang text, declared_value numeric, currency text, destination_country text,
           promised_from date, promised_to date)
         on conflict (carrier, tracking_number) do update set
           order_ref = coalesce(excluded.order_ref, shipments.order_ref),
           channel = coalesce(excluded.channel, shipments.channel),
           customer_email = coalesce(excluded.customer_email, shipments.customer_email),
           customer_lang = excluded.customer_lang,
           declared_value = coalesce(excluded.declared_value, shipments.declared_value),
           currency = coalesce(excluded.currency, shipments.currency),
           destination_country = excluded.destination_country,
           promised_from = coalesce(excluded.promised_from, shipments.promised_from),
           promised_to = coalesce(excluded.promised_to, shipments.promised_to),
           updated_at = excluded.updated_at
         returning (xmax = 0) as inserted`,
        [JSON.stringify(slice), now],
      );
      for (const row of rows) counts[row.inserted ? 'inserted' : 'updated'] += 1;
    }
    return counts;
  }

  async find(carrier: string, trackingNumber: string): Promise<Shipment | undefined> {
    const [row] = await this.sql.query(`select ${COLUMNS} from shipments where carrier = $1 and tracking_number = $2`, [carrier, trackingNumber]);
    return row && toShipment(row);
  }

  /** Every shipment known by this number, whatever the carrier (an agent may not know it). */
  async findByTrackingNumber(trackingNumber: string): Promise<Shipment[]> {
    const rows = await this.sql.query(`select ${COLUMNS} from shipments where tracking_number = $1 order by id`, [trackingNumber]);
    return rows.map(toShipment);
  }

  /** Shipments the carrier may still move, in id order from `afterId`: a sweep pages through them. */
  async listActive(afterId: number, limit: number): Promise<SweepTarget[]> {
    const rows = await this.sql.query<{ id: number; carrier: string; tracking_number: string }>(
      'select id, carrier, tracking_number from shipments where not is_final and id > $1 order by id limit $2',
      [afterId, limit],
    );
    return rows.map((row) => ({ id: row.id, carrier: row.carrier, trackingNumber: row.tracking_number }));
  }

  async list(limit = 1000): Promise<Shipment[]> {
    const rows = await this.sql.query(`select ${COLUMNS} from shipments order by id limit $1`, [limit]);
    return rows.map(toShipment);
  }
}

function toRecord(input: ShipmentInput): Record<string, unknown> {
  return {
    tracking_number: input.trackingNumber,
    carrier: input.carrier,
    order_ref: input.orderRef ?? null,
    channel: input.channel ?? null,
    customer_email: input.customerEmail ?? null,
    customer_lang: input.customerLang,
    declared_value: input.declaredValue ?? null,
    currency: input.currency ?? null,
    destination_country: input.destinationCountry,
    promised_from: input.promisedFrom ?? null,
    promised_to: input.promisedTo ?? null,
  };
}

const iso = (value: unknown): string | undefined => (value instanceof Date ? value.toISOString() : value == null ? undefined : String(value));
const text = (value: unknown): string | undefined => (value == null ? undefined : String(value));

export function toShipment(row: Row): Shipment {
  return {
    id: Number(row.id),
    trackingNumber: String(row.tracking_number),
    carrier: String(row.carrier),
    orderRef: text(row.order_ref),
    channel: text(row.channel),
    customerEmail: text(row.customer_email),
    customerLang: row.customer_lang as CustomerLanguage,
    declaredValue: row.declared_value == null ? undefined : Number(row.declared_value),
    currency: text(row.currency),
    destinationCountry: String(row.destination_country),
    promisedFrom: text(row.promised_from),
    promisedTo: text(row.promised_to),
    product: text(row.product),
    status: row.status as TrackingStatus,
    statusReason: text(row.status_reason) as StatusReason | undefined,
    estimatedFrom: iso(row.estimated_from),
    estimatedTo: iso(row.estimated_to),
    deliveredAt: iso(row.delivered_at),
    isFinal: Boolean(row.is_final),
    anomaly: text(row.anomaly),
    lastCheckedAt: iso(row.last_checked_at),
    createdAt: iso(row.created_at) ?? '',
  };
}
