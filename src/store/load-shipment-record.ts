import type { Shipment } from '../domain/shipment.ts';
import type { TrackingStatus } from '../domain/tracking-status.ts';
import type { LinkedShipment } from '../promise/shipment-as-of.ts';
import type { ShipmentRecord } from '../rules/judge-shipment.ts';
import type { Sql } from './database.ts';
import type { Store } from './store.ts';

async function reshipmentsOf(sql: Sql, shipmentId: number): Promise<LinkedShipment[]> {
  const rows = await sql.query<{ tracking_number: string; status: string; delivered_at: Date | string | null }>(
    'select tracking_number, status, delivered_at from shipments where reshipment_of = $1 order by id',
    [shipmentId],
  );
  return rows.map((row) => ({
    trackingNumber: row.tracking_number,
    status: row.status as TrackingStatus,
    ...(row.delivered_at ? { deliveredAt: new Date(row.delivered_at).toISOString() } : {}),
  }));
}

/**
 * What rules read about a shipment, from the store, as known at `until`: its scans, the agents'
 * look-ups of its number up to then (each one a customer contact) and its reshipments (the
 * shipments whose `reshipment_of` is this one).
 */
export async function loadShipmentRecord(store: Store, shipment: Shipment, until: Date): Promise<ShipmentRecord> {
  const [events, lookups, reshipments] = await Promise.all([
    store.tracking.events(shipment.id),
    store.lookups.listFor(shipment.trackingNumber),
    reshipmentsOf(store.db, shipment.id),
  ]);
  const contacts = lookups.filter((lookup) => lookup.requestedAt <= until);
  return {
    shipment,
    events,
    contacts: { count: contacts.length, ...(contacts.length > 0 ? { firstAt: contacts.at(-1)?.requestedAt.toISOString() } : {}) },
    reshipments,
  };
}
