import type { Shipment } from '../domain/shipment.ts';
import type { TrackingStatus } from '../domain/tracking-status.ts';
import type { LinkedShipment } from '../promise/shipment-as-of.ts';
import type { ShipmentRecord } from '../rules/judge-shipment.ts';
import type { Sql } from './database.ts';
import type { Store } from './store.ts';

/** The reshipments of several shipments (the shipments whose `reshipment_of` is theirs), by original id. */
async function reshipmentsOf(sql: Sql, shipmentIds: readonly number[]): Promise<Map<number, LinkedShipment[]>> {
  const byOriginal = new Map<number, LinkedShipment[]>();
  if (shipmentIds.length === 0) return byOriginal;
  const rows = await sql.query<{ reshipment_of: number; tracking_number: string; status: string; delivered_at: Date | string | null }>(
    `select reshipment_of, tracking_number, status, delivered_at from shipments
     where reshipment_of in (select jsonb_array_elements_text($1::jsonb)::integer) order by id`,
    [JSON.stringify(shipmentIds)],
  );
  for (const row of rows) {
    const linked = byOriginal.get(Number(row.reshipment_of)) ?? byOriginal.set(Number(row.reshipment_of), []).get(Number(row.reshipment_of))!;
    linked.push({
      trackingNumber: row.tracking_number,
      status: row.status as TrackingStatus,
      ...(row.delivered_at ? { deliveredAt: new Date(row.delivered_at).toISOString() } : {}),
    });
  }
  return byOriginal;
}

/**
 * What rules read about shipments, from the store, as known at `until`: their scans, the agents'
 * look-ups of their numbers up to then (each one a customer contact) and their reshipments. Three
 * queries whatever the number of shipments, so a sweep's batch is judged at the cost of one.
 */
export async function loadShipmentRecords(store: Store, shipments: readonly Shipment[], until: Date): Promise<ShipmentRecord[]> {
  const ids = shipments.map((shipment) => shipment.id);
  const [events, contacts, reshipments] = await Promise.all([
    store.tracking.eventsOf(ids),
    store.lookups.contactsOf(shipments, until),
    reshipmentsOf(store.db, ids),
  ]);
  return shipments.map((shipment) => {
    const contact = contacts.get(`${shipment.carrier}:${shipment.trackingNumber}`);
    return {
      shipment,
      events: events.get(shipment.id) ?? [],
      contacts: contact ? { count: contact.count, firstAt: contact.firstAt.toISOString() } : { count: 0 },
      reshipments: reshipments.get(shipment.id) ?? [],
    };
  });
}

/** The same for one shipment (`parcelbot rules explain`). */
export async function loadShipmentRecord(store: Store, shipment: Shipment, until: Date): Promise<ShipmentRecord> {
  const [record] = await loadShipmentRecords(store, [shipment], until);
  return record!;
}
