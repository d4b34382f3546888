import type { MarketplaceOrder, OrderPage, RejectedOrder } from '../domain/marketplace-order.ts';
import type { CustomerLanguage, ShipmentInput } from '../domain/shipment.ts';
import { normalizeTrackingNumber } from '../domain/tracking-number.ts';

/** Why `trackingNumber` cannot be tracked by robot `carrierId` (unknown robot included), or null. */
export type CarrierCheck = (carrierId: string, trackingNumber: string) => string | null;

/** The promise a marketplace gives an order whose shipments are found by order reference. */
export interface PromiseUpdate {
  orderRef: string;
  promisedFrom: string;
  promisedTo: string;
  channel?: string;
}

/** What a page of orders asks of the store, and what it only counts. */
export interface PagePlan {
  shipments: ShipmentInput[];
  promises: PromiseUpdate[];
  awaitingShipment: number;
  cancelled: number;
  bad: RejectedOrder[];
}

export interface PlanRules {
  /** Whether the marketplace's orders name their tracking number (Mirakl) or never do (Amazon). */
  carriesTracking: boolean;
  checkCarrier: CarrierCheck;
}

/**
 * Pure: a page of orders -> shipments to create or update, promises to bring to shipments found
 * by order reference, and counts. Each order lands in exactly one place, bad ones with a reason
 * that names fields and codes, never personal data:
 * - cancelled: counted;
 * - with a tracking number: a shipment (carrier from its code, checked by that carrier's robot);
 * - not shipped yet: counted as awaiting shipment;
 * - shipped without a tracking number: bad where orders carry one, else its promise goes to the
 *   shipments of the same order reference.
 */
export function planPage(page: Pick<OrderPage, 'orders' | 'rejected'>, rules: PlanRules): PagePlan {
  const plan: PagePlan = { shipments: [], promises: [], awaitingShipment: 0, cancelled: 0, bad: [...page.rejected] };
  const firstOrderOf = new Map<string, string>();
  for (const order of page.orders) {
    const bad = (reason: string) => plan.bad.push({ orderRef: order.orderRef, reason });
    if (order.stage === 'cancelled') {
      plan.cancelled += 1;
    } else if (order.trackingNumber !== undefined) {
      const shipment = shipmentOf(order, rules.checkCarrier);
      if (typeof shipment === 'string') {
        bad(shipment);
        continue;
      }
      const key = `${shipment.carrier}\u0000${shipment.trackingNumber}`;
      const first = firstOrderOf.get(key);
      if (first !== undefined) bad(`same carrier and tracking number as order ${first}`);
      else {
        firstOrderOf.set(key, order.orderRef);
        plan.shipments.push(shipment);
      }
    } else if (order.stage === 'awaiting_shipment') {
      plan.awaitingShipment += 1;
    } else if (rules.carriesTracking) {
      bad(`${order.state}: shipped without a tracking number`);
    } else if (order.promisedTo === undefined) {
      bad(`${order.state}: no delivery promise to bring (no latest delivery date)`);
    } else {
      plan.promises.push({ orderRef: order.orderRef, promisedFrom: order.promisedFrom ?? order.promisedTo, promisedTo: order.promisedTo, channel: order.channel });
    }
  }
  return plan;
}

/** The shipment of an order with a tracking number, or why it cannot be one. */
function shipmentOf(order: MarketplaceOrder, checkCarrier: CarrierCheck): ShipmentInput | string {
  if (order.carrierId === undefined) return order.carrier === undefined ? 'no carrier code' : `unknown carrier code ${JSON.stringify(order.carrier.slice(0, 40))}`;
  const trackingNumber = normalizeTrackingNumber(order.trackingNumber ?? '');
  const problem = checkCarrier(order.carrierId, trackingNumber);
  if (problem) return `tracking number for ${order.carrierId}: ${problem}`;
  if (order.destinationCountry === undefined) return 'no ISO country code in the shipping address';
  return {
    trackingNumber,
    carrier: order.carrierId,
    orderRef: order.orderRef,
    channel: order.channel,
    customerEmail: order.customerEmail,
    customerLang: customerLanguage(order.customerLocale, order.destinationCountry),
    declaredValue: order.total,
    currency: order.currency,
    destinationCountry: order.destinationCountry,
    promisedFrom: order.promisedFrom,
    promisedTo: order.promisedTo,
  };
}

const FRENCH_SPEAKING = new Set(['FR', 'BE', 'LU', 'MC']);

/**
 * Answers and e-mails are written in French or English. The customer's locale decides (`fr_*`
 * French, any other English, the language more of them read); without one, French for a parcel
 * to a French-speaking country, else English.
 */
export function customerLanguage(locale: string | undefined, country: string): CustomerLanguage {
  if (locale) return /^fr([_-]|$)/i.test(locale) ? 'fr' : 'en';
  return FRENCH_SPEAKING.has(country) ? 'fr' : 'en';
}
