import type { Shipment } from '../domain/shipment.ts';
import type { Database, Row } from './database.ts';
import { toShipment } from './shipment-repository.ts';

export type ReshipmentState = 'ordered' | 'shipped' | 'cancelled';

export interface Reshipment {
  id: number;
  followUpId: string;
  originalShipmentId: number;
  /** The replacement order in the merchant's order system. */
  orderRef: string;
  omsStatus: string;
  trackingNumber?: string;
  carrier?: string;
  /** The new parcel's shipment, once shipped. */
  shipmentId?: number;
  state: ReshipmentState;
  createdAt: string;
  updatedAt: string;
}

export interface OrderedReshipment {
  followUpId: string;
  originalShipmentId: number;
  orderRef: string;
  omsStatus: string;
}

/** Replacement orders, from the order system's answer until the new parcel is a shipment of its own. */
export class ReshipmentRepository {
  constructor(private readonly db: Database) {}

  /** Idempotent per follow-up: a replayed answer records the order once. */
  async recordOrder(order: OrderedReshipment, now: Date): Promise<Reshipment> {
    const [row] = await this.db.query(
      `insert into reshipments (followup_id, original_shipment_id, order_ref, oms_status, state, created_at, updated_at)
       values ($1, $2, $3, $4, 'ordered', $5, $5)
       on conflict (followup_id) do update set updated_at = reshipments.updated_at
       returning *`,
      [order.followUpId, order.originalShipmentId, order.orderRef, order.omsStatus, now],
    );
    if (!row) throw new Error('reshipment insert returned no row');
    return toReshipment(row);
  }

  async forFollowUp(followUpId: string): Promise<Reshipment | undefined> {
    const [row] = await this.db.query('select * from reshipments where followup_id = $1', [followUpId]);
    return row && toReshipment(row);
  }

  /** Orders the order system has not shipped yet, oldest first. */
  async waiting(limit = 500): Promise<Reshipment[]> {
    const rows = await this.db.query(`select * from reshipments where state = 'ordered' order by id limit $1`, [limit]);
    return rows.map(toReshipment);
  }

  /**
   * The order shipped: its parcel becomes a shipment linked to the original, with the original's
   * customer and order data, in one transaction with the reshipment's update. A shipment the
   * merchant already imported under that number is linked, its known fields kept.
   */
  async ship(reshipment: Reshipment, parcel: { carrier: string; trackingNumber: string; omsStatus: string }, now: Date): Promise<Shipment> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query(
        `insert into shipments (tracking_number, carrier, order_ref, channel, customer_email, customer_lang, declared_value, currency,
           destination_country, reshipment_of, created_at, updated_at)
         select $1, $2, $3, o.channel, o.customer_email, o.customer_lang, o.declared_value, o.currency, o.destination_country, o.id, $5, $5
         from shipments o where o.id = $4
         on conflict (carrier, tracking_number) do update set
           reshipment_of = coalesce(shipments.reshipment_of, excluded.reshipment_of),
           order_ref = coalesce(shipments.order_ref, excluded.order_ref),
           channel = coalesce(shipments.channel, excluded.channel),
           customer_email = coalesce(shipments.customer_email, excluded.customer_email),
           declared_value = coalesce(shipments.declared_value, excluded.declared_value),
           currency = coalesce(shipments.currency, excluded.currency),
           updated_at = excluded.updated_at
         returning *`,
        [parcel.trackingNumber, parcel.carrier, reshipment.orderRef, reshipment.originalShipmentId, now],
      );
      if (!row) throw new Error(`original shipment ${reshipment.originalShipmentId} of reshipment ${reshipment.orderRef} not found`);
      await tx.query(
        `update reshipments set state = 'shipped', tracking_number = $2, carrier = $3, oms_status = $4, shipment_id = $5, updated_at = $6 where id = $1`,
        [reshipment.id, parcel.trackingNumber, parcel.carrier, parcel.omsStatus, row.id, now],
      );
      return toShipment(row);
    });
  }

  /** The order system cancelled the order: nothing will ship. */
  async cancel(id: number, omsStatus: string, now: Date): Promise<void> {
    await this.db.query(`update reshipments set state = 'cancelled', oms_status = $2, updated_at = $3 where id = $1`, [id, omsStatus, now]);
  }
}

function toReshipment(row: Row): Reshipment {
  return {
    id: Number(row.id),
    followUpId: String(row.followup_id),
    originalShipmentId: Number(row.original_shipment_id),
    orderRef: String(row.order_ref),
    omsStatus: String(row.oms_status),
    trackingNumber: row.tracking_number == null ? undefined : String(row.tracking_number),
    carrier: row.carrier == null ? undefined : String(row.carrier),
    shipmentId: row.shipment_id == null ? undefined : Number(row.shipment_id),
    state: row.state as ReshipmentState,
    createdAt: (row.created_at as Date).toISOString(),
    updatedAt: (row.updated_at as Date).toISOString(),
  };
}
