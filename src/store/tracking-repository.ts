import { hash } from 'node:crypto';
import type { Shipment } from '../domain/shipment.ts';
import type { Snapshot } from '../domain/snapshot.ts';
import type { TrackingEvent } from '../domain/tracking-event.ts';
import type { TrackingStatus } from '../domain/tracking-status.ts';
import type { Database } from './database.ts';
import { toShipment } from './shipment-repository.ts';

export interface RecordedSnapshot {
  shipment: Shipment;
  /** How many of the snapshot's events were not stored before. */
  newEvents: number;
}

/** The same scan read twice gets the same key, whatever offset the carrier wrote it with. */
export function eventKey(event: TrackingEvent): string {
  const instant = new Date(event.at).toISOString();
  return hash('sha1', [instant, event.code, event.label, event.location ?? ''].join('\u0000'), 'hex');
}

export class TrackingRepository {
  constructor(private readonly db: Database) {}

  /** Stores what a robot read about one parcel (see recordSnapshots). */
  async recordSnapshot(snapshot: Snapshot, checkedAt: Date): Promise<RecordedSnapshot> {
    const [recorded] = await this.recordSnapshots([snapshot], checkedAt);
    return recorded!;
  }

  /**
   * Stores what a robot read about a batch of parcels in one statement, whatever the batch's
   * size: shipments created when unknown, new events appended (an event read again is stored
   * once), each shipment's current state updated, unknown carrier codes counted. A delivered
   * parcel read back as in transit is a carrier inconsistency: the stored "delivered" stays and
   * the shipment is flagged (`status_regressed`) for a human rather than moved backwards.
   * Returns one entry per snapshot, in order.
   *
   * One statement is atomic on its own: no transaction, and one round trip instead of six per
   * batch (a sweep's store CPU, in the worker and in PostgreSQL, goes mostly to round trips).
   */
  async recordSnapshots(snapshots: readonly Snapshot[], checkedAt: Date): Promise<RecordedSnapshot[]> {
    if (snapshots.length === 0) return [];
    // One row per parcel in a statement (`on conflict` cannot touch a row twice): the last read wins.
    const latest = new Map(snapshots.map((snapshot) => [parcelKey(snapshot.carrier, snapshot.trackingNumber), snapshot]));
    const parcels = [...latest.values()];
    // A new shipment gets the state as read; a known one the same state, except that a delivered parcel never moves back.
    const rows = await this.db.query(
      `with upserted as (
         insert into shipments as s (tracking_number, carrier, status, status_reason, product, estimated_from, estimated_to, delivered_at,
           is_final, last_checked_at, created_at, updated_at)
         select r.tracking_number, r.carrier, r.status, r.reason, r.product, r.estimated_from, r.estimated_to, r.delivered_at, r.is_final, $4, $4, $4
         from json_to_recordset($1::json) as r(tracking_number text, carrier text, status text, reason text, product text,
           estimated_from timestamptz, estimated_to timestamptz, delivered_at timestamptz, is_final boolean)
         on conflict (carrier, tracking_number) do update set
           status = case when s.status = 'delivered' and excluded.status <> 'delivered' then s.status else excluded.status end,
           status_reason = case when s.status = 'delivered' and excluded.status <> 'delivered' then s.status_reason else excluded.status_reason end,
           anomaly = case when s.status = 'delivered' and excluded.status <> 'delivered' then 'status_regressed' else s.anomaly end,
           product = coalesce(excluded.product, s.product),
           estimated_from = excluded.estimated_from, estimated_to = excluded.estimated_to,
           delivered_at = coalesce(excluded.delivered_at, s.delivered_at),
           is_final = s.is_final or excluded.is_final,
           last_checked_at = excluded.last_checked_at, updated_at = excluded.updated_at
         returning s.*
       ), new_events as (
         insert into tracking_events (shipment_id, event_key, occurred_at, occurred_at_local, code, label, status, reason, location, source, robot, recorded_at)
         select u.id, e.event_key, e.occurred_at::timestamptz, e.occurred_at, e.code, e.label, e.status, e.reason, e.location, e.source, e.robot, $4
         from json_to_recordset($2::json) as e(position integer, carrier text, tracking_number text, event_key text, occurred_at text,
           code text, label text, status text, reason text, location text, source text, robot text)
         join upserted u on u.carrier = e.carrier and u.tracking_number = e.tracking_number
         -- Ids in the order read: the timeline orders events of the same instant by id.
         order by e.position
         on conflict (shipment_id, event_key) do nothing
         returning shipment_id
       ), counted_codes as (
         insert into unmapped_codes (carrier, code, label, first_seen, last_seen, count)
         select c.carrier, c.code, c.label, $4, $4, c.seen from json_to_recordset($3::json) as c(carrier text, code text, label text, seen integer)
         on conflict (carrier, code) do update set count = unmapped_codes.count + excluded.count, last_seen = excluded.last_seen, label = excluded.label
       )
       select u.*, coalesce(n.count, 0)::integer as new_events
       from upserted u left join (select shipment_id, count(*) from new_events group by shipment_id) n on n.shipment_id = u.id`,
      [
        JSON.stringify(parcels.map(stateRow)),
        JSON.stringify(eventRows(parcels)),
        JSON.stringify(countCodes(parcels)),
        checkedAt,
      ],
    );
    const stored = new Map(rows.map((row) => [parcelKey(String(row.carrier), String(row.tracking_number)), { shipment: toShipment(row), newEvents: Number(row.new_events) }]));
    return snapshots.map((snapshot) => {
      const key = parcelKey(snapshot.carrier, snapshot.trackingNumber);
      const { shipment, newEvents } = stored.get(key)!;
      return { shipment, newEvents: latest.get(key) === snapshot ? newEvents : 0 };
    });
  }

  /** A shipment's timeline, newest first. */
  async events(shipmentId: number): Promise<TrackingEvent[]> {
    return (await this.eventsOf([shipmentId])).get(shipmentId) ?? [];
  }

  /** The timelines of several shipments in one query, newest first, by shipment id. */
  async eventsOf(shipmentIds: readonly number[]): Promise<Map<number, TrackingEvent[]>> {
    const timelines = new Map<number, TrackingEvent[]>();
    if (shipmentIds.length === 0) return timelines;
    const rows = await this.db.query(`select e.* from unnest($1::integer[]) as ids(id) cross join lateral (${TIMELINE_OF('ids.id')}) e order by ${TIMELINE_ORDER}`, [[...shipmentIds]]);
    for (const row of rows) {
      const id = Number(row.shipment_id);
      const timeline = timelines.get(id) ?? timelines.set(id, []).get(id)!;
      timeline.push(toTrackingEvent(row));
    }
    return timelines;
  }
}

/** The columns `toTrackingEvent` reads. */
export const EVENT_COLUMNS = 'occurred_at_local, code, label, status, reason, location, source, robot';

/**
 * The events of the shipment whose id is `idExpression`, for a lateral join over several ids; the
 * caller sorts by TIMELINE_ORDER. The `order by` inside keeps the planner from merging it into a
 * join, so each shipment's events are read through the (shipment_id, event_key) index whatever
 * the statistics say (none, on events stored minutes ago): a hash join would read every event stored.
 */
export const TIMELINE_OF = (idExpression: string): string =>
  `select shipment_id, occurred_at, id, ${EVENT_COLUMNS} from tracking_events where shipment_id = ${idExpression} order by occurred_at desc, id desc`;

/** Timelines of TIMELINE_OF rows `e`: by shipment, newest first (events of the same instant in the order read). */
export const TIMELINE_ORDER = 'e.shipment_id, e.occurred_at desc, e.id desc';

export function toTrackingEvent(row: Record<string, unknown>): TrackingEvent {
  return {
    at: String(row.occurred_at_local),
    code: String(row.code),
    label: String(row.label),
    status: row.status as TrackingStatus,
    ...(row.reason ? { reason: row.reason as TrackingEvent['reason'] } : {}),
    ...(row.location ? { location: String(row.location) } : {}),
    source: row.source as TrackingEvent['source'],
    robot: String(row.robot),
  };
}

const parcelKey = (carrier: string, trackingNumber: string) => `${carrier}\u0000${trackingNumber}`;

/** Every event of the snapshots, numbered in the order read. */
function eventRows(snapshots: readonly Snapshot[]): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const snapshot of snapshots) for (const event of snapshot.events) rows.push(eventRow(snapshot, event, rows.length));
  return rows;
}

/**
 * An event as the statement reads it. Its instant is sent once, as the carrier's local time (the
 * statement stores it as read and as a timestamp), and a field the event lacks is left out
 * (JSON.stringify drops undefined; the record set reads a missing key as null): a sweep job's
 * events are most of the bytes a worker writes to PostgreSQL, each byte encoded, sent and parsed.
 */
function eventRow(snapshot: Snapshot, event: TrackingEvent, position: number): Record<string, unknown> {
  return {
    position,
    carrier: snapshot.carrier,
    tracking_number: snapshot.trackingNumber,
    event_key: eventKey(event),
    occurred_at: event.at,
    code: event.code,
    label: event.label,
    status: event.status,
    reason: event.reason,
    location: event.location,
    source: event.source,
    robot: event.robot,
  };
}

function stateRow(snapshot: Snapshot): Record<string, unknown> {
  return {
    tracking_number: snapshot.trackingNumber,
    carrier: snapshot.carrier,
    status: snapshot.status,
    reason: snapshot.reason ?? null,
    product: snapshot.product ?? null,
    estimated_from: snapshot.estimatedDelivery?.from ?? null,
    estimated_to: snapshot.estimatedDelivery?.to ?? null,
    delivered_at: snapshot.deliveredAt ?? null,
    is_final: snapshot.isFinal,
  };
}

/** Each unknown code once per carrier (`on conflict` cannot touch a row twice), with how many snapshots showed it. */
function countCodes(snapshots: readonly Snapshot[]): { carrier: string; code: string; label: string; seen: number }[] {
  const codes = new Map<string, { carrier: string; code: string; label: string; seen: number }>();
  for (const snapshot of snapshots) {
    for (const { code, label } of new Map(snapshot.unmappedCodes.map((entry) => [entry.code, entry])).values()) {
      const key = `${snapshot.carrier}\u0000${code}`;
      const counted = codes.get(key);
      codes.set(key, { carrier: snapshot.carrier, code, label, seen: (counted?.seen ?? 0) + 1 });
    }
  }
  return [...codes.values()];
}
