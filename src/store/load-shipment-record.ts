import type { Shipment } from '../domain/shipment.ts';
import type { TrackingStatus } from '../domain/tracking-status.ts';
import type { LinkedShipment } from '../promise/shipment-as-of.ts';
import type { ShipmentRecord } from '../rules/judge-shipment.ts';
import type { Row } from './database.ts';
import type { Store } from './store.ts';
import { TIMELINE_OF, TIMELINE_ORDER, toTrackingEvent } from './tracking-repository.ts';

interface RecordParts {
  /** Every scan of the shipments, each shipment's newest first. */
  events: Row[];
  /** Per (carrier, number): the agents' look-ups up to then, each one a customer contact, and the first one's time (it opened the case). */
  contacts: { carrier: string; tracking_number: string; count: number; first_at: string }[];
  /** The shipments whose `reshipment_of` is one of them, in id order. */
  reshipments: { reshipment_of: number; tracking_number: string; status: string; delivered_at: string | null }[];
}

/**
 * What rules read about shipments, from the store, as known at `until`: their scans, the agents'
 * look-ups of their numbers up to then (each one a customer contact) and their reshipments. One
 * query whatever the number of shipments (its three parts as JSON), so a sweep's batch is judged
 * at the cost of one round trip. Each part is read shipment by shipment through an index (lateral
 * joins) whatever the planner's statistics say: a store filled minutes ago has none, and a hash
 * join would then read every event and look-up stored, for each batch.
 */
export async function loadShipmentRecords(store: Store, shipments: readonly Shipment[], until: Date): Promise<ShipmentRecord[]> {
  if (shipments.length === 0) return [];
  const [parts] = await store.db.query<Row & RecordParts>(
    `select
       (select coalesce(json_agg(e order by ${TIMELINE_ORDER}), '[]')
        from unnest($1::integer[]) as ids(id) cross join lateral (${TIMELINE_OF('ids.id')}) e) as events,
       (select coalesce(json_agg(c), '[]')
        from (select p.carrier, p.tracking_number, l.count, l.first_at
              from json_to_recordset($2::json) as p(carrier text, tracking_number text)
              cross join lateral (select count(*)::integer as count, min(requested_at) as first_at from lookups
                where tracking_number = p.tracking_number and carrier = p.carrier and requested_at <= $3) l
              where l.count > 0) c) as contacts,
       (select coalesce(json_agg(r order by r.id), '[]')
        from (select id, reshipment_of, tracking_number, status, delivered_at from shipments where reshipment_of = any($1::integer[])) r) as reshipments`,
    [
      shipments.map((shipment) => shipment.id),
      JSON.stringify(shipments.map((shipment) => ({ carrier: shipment.carrier, tracking_number: shipment.trackingNumber }))),
      until,
    ],
  );
  const { events, contacts, reshipments } = parts!;
  const timelines = groupBy(events, (row) => Number(row.shipment_id), toTrackingEvent);
  const linked = groupBy(reshipments, (row) => Number(row.reshipment_of), (row): LinkedShipment => ({
    trackingNumber: row.tracking_number,
    status: row.status as TrackingStatus,
    ...(row.delivered_at ? { deliveredAt: new Date(row.delivered_at).toISOString() } : {}),
  }));
  const contactOf = new Map(contacts.map((row) => [`${row.carrier}:${row.tracking_number}`, row]));
  return shipments.map((shipment) => {
    const contact = contactOf.get(`${shipment.carrier}:${shipment.trackingNumber}`);
    return {
      shipment,
      events: timelines.get(shipment.id) ?? [],
      contacts: contact ? { count: Number(contact.count), firstAt: new Date(contact.first_at).toISOString() } : { count: 0 },
      reshipments: linked.get(shipment.id) ?? [],
    };
  });
}

/** The same for one shipment (`parcelbot rules explain`). */
export async function loadShipmentRecord(store: Store, shipment: Shipment, until: Date): Promise<ShipmentRecord> {
  const [record] = await loadShipmentRecords(store, [shipment], until);
  return record!;
}

function groupBy<T, V>(rows: readonly T[], keyOf: (row: T) => number, valueOf: (row: T) => V): Map<number, V[]> {
  const groups = new Map<number, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key) ?? groups.set(key, []).get(key)!;
    group.push(valueOf(row));
  }
  return groups;
}
