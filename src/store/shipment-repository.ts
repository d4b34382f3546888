import type { PostalAddress } from '../domain/postal-address.ts';
import type { CustomerLanguage, Shipment, ShipmentInput } from '../domain/shipment.ts';
import type { StatusReason } from '../domain/status-reason.ts';
import type { TrackingStatus } from '../domain/tracking-status.ts';
import type { Verdict } from '../domain/verdict.ts';
import type { Row, Sql } from './database.ts';
import { iso, text } from './row-values.ts';

const COLUMNS = `id, tracking_number, carrier, order_ref, channel, customer_email, customer_address, customer_lang, declared_value, currency,
  destination_country, promised_from, promised_to, product, status, status_reason, estimated_from, estimated_to,
  delivered_at, is_final, final_at, anomaly, last_checked_at, reshipment_of, verdict, verdict_at, created_at`;
/** The columns `toShipment` reads, for other queries over shipments. */
export const SHIPMENT_COLUMNS = COLUMNS;

// Rows are written in slices so one statement never carries an unbounded JSON document.
const IMPORT_SLICE = 1000;

/**
 * A shipment as written by `upsertMany`. What it leaves out is the stored value, or for a new
 * shipment: fr / FR for the language and country, EUR for an amount's currency, the one day
 * given for half a promised window. An address without a country is in the shipment's
 * destination country (given, stored, or FR).
 */
export type ShipmentWrite = Omit<ShipmentInput, 'customerLang' | 'destinationCountry' | 'customerAddress'> &
  Partial<Pick<ShipmentInput, 'customerLang' | 'destinationCountry'>> & { customerAddress?: AddressWrite };

export type AddressWrite = Omit<PostalAddress, 'country'> & Partial<Pick<PostalAddress, 'country'>>;

/** The rows of an `upsertMany` slice, `$1` as JSON, as `r` in the lock order (`r.ordinality`). */
const WRITTEN_ROWS = `rows from (json_to_recordset($1::json) as (id integer, tracking_number text, carrier text, order_ref text, channel text,
  customer_email text, customer_address jsonb, customer_lang text, declared_value numeric, currency text,
  destination_country text, promised_from date, promised_to date)) with ordinality as r`;

/**
 * The address an `upsertMany` update stores, for a row `r` giving one over a stored shipment `s`:
 * the row's, in the shipment's destination country, with what the row leaves blank kept from the
 * stored address: the phone (the customer's wherever they live) and, at the same street, postcode,
 * city and country, the line 2 (at another street the stored line 2 would misdirect the parcel).
 */
const ADDRESS_KEEPING_STORED_PARTS = `jsonb_build_object('country', coalesce(r.destination_country, s.destination_country))
  || jsonb_strip_nulls(jsonb_build_object(
       'phone', s.customer_address->'phone',
       'line2', case when s.customer_address @> jsonb_build_object('line1', r.customer_address->'line1', 'postcode', r.customer_address->'postcode',
         'city', r.customer_address->'city', 'country', coalesce(r.destination_country, s.destination_country)) then s.customer_address->'line2' end))
  || r.customer_address`;

export interface ImportCounts {
  inserted: number;
  updated: number;
}

export interface SweepTarget {
  id: number;
  carrier: string;
  trackingNumber: string;
}

/** Where a page of due shipments ended: `(next_check_at, id)`, the time as PostgreSQL wrote it. */
export interface DueCursor {
  nextCheckAt: string;
  id: number;
}

export const FIRST_DUE: DueCursor = { nextCheckAt: '-infinity', id: 0 };

/** After a check: when the shipment is next due (null: never), and when it was checked. */
export interface NextCheck {
  id: number;
  at: Date | null;
  checkedAt: Date;
}

/** A shipment's verdict as judged, with its reasons. */
export interface JudgedVerdict {
  id: number;
  verdict: Verdict;
  reasons: readonly string[];
}

export class ShipmentRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Creates or updates shipments by (carrier, tracking number). A blank field of an update keeps
   * the stored value: a partial re-import never erases what was known, nor puts a new shipment's
   * default in its place. Statuses are the robots'. Run it in a transaction to write all or nothing.
   *
   * Concurrent upserts never deadlock, whatever order each is given its shipments in: each takes
   * its shipments (inserts or locks them) in one order, by carrier and tracking number, and waits
   * only while taking them. New shipments still get their ids in the order given.
   */
  async upsertMany(inputs: readonly ShipmentWrite[], now: Date): Promise<ImportCounts> {
    const counts = { inserted: 0, updated: 0 };
    if (inputs.length === 0) return counts;
    const ids = await this.nextIds(inputs.length);
    const records = inputs.map((input, index) => ({ id: ids[index], ...toRecord(input) })).sort(inLockOrder);
    for (let start = 0; start < records.length; start += IMPORT_SLICE) {
      const slice = records.slice(start, start + IMPORT_SLICE);
      // A shipment given twice is inserted once: `on conflict do update` refuses a row its own statement inserted.
      const firstOfEach = slice.filter((record, index) => index === 0 || keyOf(slice[index - 1]!) !== keyOf(record));
      // Defaults go with the insert, the stored values with the update, in two statements: an
      // insert's `on conflict do update` sees only the row with its defaults applied, and a read
      // before it misses a shipment another import is creating meanwhile. The insert waits for
      // that import to commit and leaves the shipment to the update, whose statement sees it.
      // The insert takes every shipment of the slice in the lock order: it inserts the new ones and
      // locks the stored ones (`do update ... where false` locks the row and changes nothing), so
      // the update waits on no one. Two upserts that took shipments in their own orders (the
      // insert in the file's order, the update in its plan's) could each wait on the other.
      const inserted = await this.sql.query<{ carrier: string; tracking_number: string }>(
        `insert into shipments (id, tracking_number, carrier, order_ref, channel, customer_email, customer_address, customer_lang,
           declared_value, currency, destination_country, promised_from, promised_to, created_at, updated_at)
         overriding system value
         select r.id, r.tracking_number, r.carrier, r.order_ref, r.channel, r.customer_email,
           jsonb_build_object('country', coalesce(r.destination_country, 'FR')) || r.customer_address, coalesce(r.customer_lang, 'fr'),
           r.declared_value, coalesce(r.currency, case when r.declared_value is not null then 'EUR' end),
           coalesce(r.destination_country, 'FR'), coalesce(r.promised_from, r.promised_to), coalesce(r.promised_to, r.promised_from), $2, $2
         from ${WRITTEN_ROWS}
         order by r.ordinality
         on conflict (carrier, tracking_number) do update set updated_at = excluded.updated_at where false
         returning carrier, tracking_number`,
        [JSON.stringify(firstOfEach), now],
      );
      counts.inserted += inserted.length;
      const insertedKeys = new Set(inserted.map((row) => keyOf(row)));
      const known = slice.filter((record) => !insertedKeys.has(keyOf(record)));
      if (known.length === 0) continue;
      // Half a promised window keeps the stored other end when the two still make a window.
      const updated = await this.sql.query(
        `update shipments s set
           order_ref = coalesce(r.order_ref, s.order_ref),
           channel = coalesce(r.channel, s.channel),
           customer_email = coalesce(r.customer_email, s.customer_email),
           customer_address = case when r.customer_address is null then s.customer_address else ${ADDRESS_KEEPING_STORED_PARTS} end,
           customer_lang = coalesce(r.customer_lang, s.customer_lang),
           declared_value = coalesce(r.declared_value, s.declared_value),
           currency = coalesce(r.currency, s.currency, case when r.declared_value is not null then 'EUR' end),
           destination_country = coalesce(r.destination_country, s.destination_country),
           promised_from = coalesce(r.promised_from, case when s.promised_from <= r.promised_to then s.promised_from end, r.promised_to, s.promised_from),
           promised_to = coalesce(r.promised_to, case when s.promised_to >= r.promised_from then s.promised_to end, r.promised_from, s.promised_to),
           updated_at = $2
         from ${WRITTEN_ROWS}
         where s.carrier = r.carrier and s.tracking_number = r.tracking_number
         returning s.id`,
        [JSON.stringify(known), now],
      );
      counts.updated += updated.length;
    }
    return counts;
  }

  /**
   * `count` ids of the shipments' sequence, ascending: taken before the rows are written in the
   * lock order, they keep new shipments' ids in the order given. An id taken for a known shipment
   * is left unused, as the identity's default did.
   */
  private async nextIds(count: number): Promise<number[]> {
    const rows = await this.sql.query<{ id: number }>(
      `select nextval(pg_get_serial_sequence('shipments', 'id'))::integer as id from generate_series(1, $1) order by id`,
      [count],
    );
    return rows.map((row) => row.id);
  }

  async get(id: number): Promise<Shipment | undefined> {
    const [row] = await this.sql.query(`select ${COLUMNS} from shipments where id = $1`, [id]);
    return row && toShipment(row);
  }

  async find(carrier: string, trackingNumber: string): Promise<Shipment | undefined> {
    const [row] = await this.sql.query(`select ${COLUMNS} from shipments where carrier = $1 and tracking_number = $2`, [carrier, trackingNumber]);
    return row && toShipment(row);
  }

  /** The stored shipments among these (carrier, number) pairs, in any order. */
  async findMany(keys: readonly { carrier: string; trackingNumber: string }[]): Promise<Shipment[]> {
    if (keys.length === 0) return [];
    const rows = await this.sql.query(
      `select ${COLUMNS} from shipments where (carrier, tracking_number) in
         (select r.carrier, r.tracking_number from json_to_recordset($1::json) as r(carrier text, tracking_number text))`,
      [JSON.stringify(keys.map((key) => ({ carrier: key.carrier, tracking_number: key.trackingNumber })))],
    );
    return rows.map(toShipment);
  }

  /** The shipments of these orders (a marketplace that names no tracking number matches by order). */
  async findByOrderRefs(orderRefs: readonly string[]): Promise<Shipment[]> {
    if (orderRefs.length === 0) return [];
    const rows = await this.sql.query(`select ${COLUMNS} from shipments where order_ref in (select json_array_elements_text($1::json)) order by id`, [JSON.stringify(orderRefs)]);
    return rows.map(toShipment);
  }

  /** Every shipment known by this number, whatever the carrier (an agent may not know it). */
  async findByTrackingNumber(trackingNumber: string): Promise<Shipment[]> {
    const rows = await this.sql.query(`select ${COLUMNS} from shipments where tracking_number = $1 order by id`, [trackingNumber]);
    return rows.map(toShipment);
  }

  /**
   * Shipments due for a check at `cutoff` and created after `createdAfter` (older ones are
   * retired), a page at a time after `after`. A checked shipment is due later than any cut-off
   * of a running sweep, so paging never meets it again.
   */
  async listDue(cutoff: Date, createdAfter: Date, after: DueCursor, limit: number): Promise<{ targets: SweepTarget[]; next: DueCursor }> {
    const rows = await this.sql.query<{ id: number; carrier: string; tracking_number: string; cursor: string }>(
      `select id, carrier, tracking_number, next_check_at::text as cursor from shipments
       where next_check_at <= $1 and (next_check_at, id) > ($2::timestamptz, $3) and created_at > $4
       order by next_check_at, id limit $5`,
      [cutoff, after.nextCheckAt, after.id, createdAfter, limit],
    );
    const last = rows.at(-1);
    return {
      targets: rows.map((row) => ({ id: row.id, carrier: row.carrier, trackingNumber: row.tracking_number })),
      next: last ? { nextCheckAt: last.cursor, id: last.id } : after,
    };
  }

  /** Sets when each shipment is next due; a shipment seen final for the first time gets `final_at`. */
  async scheduleChecks(checks: readonly NextCheck[]): Promise<void> {
    await this.recordChecks([], checks, new Date(0));
  }

  /** Each shipment's verdict as just judged, with its reasons (one statement for a whole batch). */
  async recordVerdicts(verdicts: readonly JudgedVerdict[], judgedAt: Date): Promise<void> {
    await this.recordChecks(verdicts, [], judgedAt);
  }

  /**
   * What a check leaves on its shipments, in one statement: the verdicts judged at `judgedAt`
   * (recordVerdicts) and when each is next due (scheduleChecks). A shipment may have either or both.
   */
  async recordChecks(verdicts: readonly JudgedVerdict[], checks: readonly NextCheck[], judgedAt: Date): Promise<void> {
    const rows = new Map<number, Record<string, unknown>>();
    for (const { id, verdict, reasons } of verdicts) rows.set(id, { id, judged: true, verdict, reasons, checked: false });
    for (const { id, at, checkedAt } of checks) rows.set(id, { judged: false, ...rows.get(id), id, checked: true, next_check_at: at, checked_at: checkedAt });
    if (rows.size === 0) return;
    await this.sql.query(
      `update shipments s set
         verdict = case when r.judged then r.verdict else s.verdict end,
         verdict_reasons = case when r.judged then r.reasons else s.verdict_reasons end,
         verdict_at = case when r.judged then $2 else s.verdict_at end,
         next_check_at = case when r.checked then r.next_check_at else s.next_check_at end,
         final_at = case when not r.checked then s.final_at when s.is_final then coalesce(s.final_at, r.checked_at) end
       from json_to_recordset($1::json) as r(id integer, judged boolean, verdict text, reasons jsonb, checked boolean, next_check_at timestamptz, checked_at timestamptz)
       where s.id = r.id and s.id = any($3::integer[])`,
      // The ids again as an array, so the planner knows how many rows a batch updates (it counts a hundred
      // in any json_to_recordset) and reads them by primary key rather than the whole table.
      [JSON.stringify([...rows.values()]), judgedAt, [...rows.keys()]],
    );
  }

  /** Shipments by id (the originals of reshipments...), in no particular order. */
  async getMany(ids: readonly number[]): Promise<Shipment[]> {
    if (ids.length === 0) return [];
    const rows = await this.sql.query(`select ${COLUMNS} from shipments where id in (select json_array_elements_text($1::json)::integer)`, [JSON.stringify(ids)]);
    return rows.map(toShipment);
  }

  /**
   * The ids of the shipments of the same order as this one, itself included, in id order: linked
   * by `reshipment_of` either way (the original and its reshipments, whose replacement orders
   * have order references of their own) and by the same `order_ref` in the same channel (the
   * parcels of one order), transitively. Empty when there is no such shipment.
   */
  async orderFamily(id: number): Promise<number[]> {
    let family = new Set<number>([id]);
    // Each round adds the shipments linked to those found so far; an order has a few parcels, so a round or two.
    for (;;) {
      const rows = await this.sql.query<{ id: number }>(
        // One indexed read per kind of link (an OR of them would read the whole table).
        `with known as (select id, reshipment_of, order_ref, channel from shipments where id = any($1::integer[]))
         select id from known
         union select reshipment_of from known where reshipment_of is not null
         union select s.id from shipments s where s.reshipment_of = any($1::integer[])
         union select s.id from known k join shipments s on s.order_ref = k.order_ref and s.channel is not distinct from k.channel`,
        [[...family]],
      );
      const found = new Set(rows.map((row) => Number(row.id)));
      if (found.size <= family.size) return [...found].sort((a, b) => a - b);
      family = found;
    }
  }

  async list(limit = 1000): Promise<Shipment[]> {
    const rows = await this.sql.query(`select ${COLUMNS} from shipments order by id limit $1`, [limit]);
    return rows.map(toShipment);
  }
}

const keyOf = (row: Record<string, unknown>): string => `${String(row.carrier)}\u0000${String(row.tracking_number)}`;

/** The order upserts take shipments in: by carrier, then tracking number, by code unit (no collation, the same for every process). */
const inLockOrder = (a: Record<string, unknown>, b: Record<string, unknown>): number => {
  const [first, second] = [keyOf(a), keyOf(b)];
  return first < second ? -1 : first > second ? 1 : 0;
};

function toRecord(input: ShipmentWrite): Record<string, unknown> {
  return {
    tracking_number: input.trackingNumber,
    carrier: input.carrier,
    order_ref: input.orderRef ?? null,
    channel: input.channel ?? null,
    customer_email: input.customerEmail ?? null,
    customer_address: input.customerAddress ?? null,
    customer_lang: input.customerLang ?? null,
    declared_value: input.declaredValue ?? null,
    currency: input.currency ?? null,
    destination_country: input.destinationCountry ?? null,
    promised_from: input.promisedFrom ?? null,
    promised_to: input.promisedTo ?? null,
  };
}

export function toShipment(row: Row): Shipment {
  return {
    id: Number(row.id),
    trackingNumber: String(row.tracking_number),
    carrier: String(row.carrier),
    orderRef: text(row.order_ref),
    channel: text(row.channel),
    customerEmail: text(row.customer_email),
    customerAddress: (row.customer_address ?? undefined) as PostalAddress | undefined,
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
    finalAt: iso(row.final_at),
    anomaly: text(row.anomaly),
    lastCheckedAt: iso(row.last_checked_at),
    reshipmentOf: row.reshipment_of == null ? undefined : Number(row.reshipment_of),
    verdict: text(row.verdict) as Verdict | undefined,
    verdictAt: iso(row.verdict_at),
    createdAt: iso(row.created_at) ?? '',
  };
}
