import { createHash } from 'node:crypto';
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
  return createHash('sha1').update([instant, event.code, event.label, event.location ?? ''].join('\u0000')).digest('hex');
}

/**
 * A delivered parcel read back as in transit is a carrier inconsistency: the stored "delivered"
 * stays and the shipment is flagged for a human, rather than silently moved backwards.
 */
function isRegression(stored: TrackingStatus, read: TrackingStatus): boolean {
  return stored === 'delivered' && read !== 'delivered';
}

export class TrackingRepository {
  constructor(private readonly db: Database) {}

  /** Stores what a robot read: new events appended, the shipment's current state updated, in one transaction. */
  async recordSnapshot(snapshot: Snapshot, checkedAt: Date): Promise<RecordedSnapshot> {
    return this.db.transaction(async (tx) => {
      const [current] = await tx.query<{ id: number; status: TrackingStatus }>(
        `insert into shipments (tracking_number, carrier, created_at, updated_at) values ($1, $2, $3, $3)
         on conflict (carrier, tracking_number) do update set updated_at = excluded.updated_at
         returning id, status`,
        [snapshot.trackingNumber, snapshot.carrier, checkedAt],
      );
      if (!current) throw new Error('shipment upsert returned no row');
      const events = snapshot.events.map((event) => ({
        event_key: eventKey(event),
        occurred_at: event.at,
        occurred_at_local: event.at,
        code: event.code,
        label: event.label,
        status: event.status,
        reason: event.reason ?? null,
        location: event.location ?? null,
        source: event.source,
        robot: event.robot,
      }));
      const inserted = await tx.query(
        `insert into tracking_events (shipment_id, event_key, occurred_at, occurred_at_local, code, label, status, reason,
           location, source, robot, recorded_at)
         select $1, e.event_key, e.occurred_at, e.occurred_at_local, e.code, e.label, e.status, e.reason, e.location, e.source, e.robot, $3
         from jsonb_to_recordset($2::jsonb) as e(event_key text, occurred_at timestamptz, occurred_at_local text, code text,
           label text, status text, reason text, location text, source text, robot text)
         on conflict (shipment_id, event_key) do nothing
         returning id`,
        [current.id, JSON.stringify(events), checkedAt],
      );
      const regressed = isRegression(current.status, snapshot.status);
      const [row] = await tx.query(
        `update shipments set
           status = case when $2 then status else $3 end,
           status_reason = case when $2 then status_reason else $4 end,
           anomaly = case when $2 then 'status_regressed' else anomaly end,
           product = coalesce($5, product),
           estimated_from = $6, estimated_to = $7,
           delivered_at = coalesce($8, delivered_at),
           is_final = is_final or $9,
           last_checked_at = $10, updated_at = $10
         where id = $1
         returning *`,
        [
          current.id,
          regressed,
          snapshot.status,
          snapshot.reason ?? null,
          snapshot.product ?? null,
          snapshot.estimatedDelivery?.from ?? null,
          snapshot.estimatedDelivery?.to ?? null,
          snapshot.deliveredAt ?? null,
          snapshot.isFinal,
          checkedAt,
        ],
      );
      if (snapshot.unmappedCodes.length > 0) {
        await tx.query(
          `insert into unmapped_codes (carrier, code, label, first_seen, last_seen)
           select $1, u.code, u.label, $3, $3 from jsonb_to_recordset($2::jsonb) as u(code text, label text)
           on conflict (carrier, code) do update set count = unmapped_codes.count + 1, last_seen = excluded.last_seen, label = excluded.label`,
          [snapshot.carrier, JSON.stringify(dedupeCodes(snapshot.unmappedCodes)), checkedAt],
        );
      }
      if (!row) throw new Error('shipment update returned no row');
      return { shipment: toShipment(row), newEvents: inserted.length };
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
    const rows = await this.db.query(
      `select shipment_id, ${EVENT_COLUMNS} from tracking_events
       where shipment_id in (select jsonb_array_elements_text($1::jsonb)::integer) order by shipment_id, occurred_at desc, id desc`,
      [JSON.stringify(shipmentIds)],
    );
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

/** One row per code in a statement: `on conflict` cannot touch the same row twice. */
function dedupeCodes(codes: Snapshot['unmappedCodes']): Snapshot['unmappedCodes'] {
  return [...new Map(codes.map((entry) => [entry.code, entry])).values()];
}
