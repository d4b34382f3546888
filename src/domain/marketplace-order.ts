/**
 * Where an order stands on the way to the customer, whatever the marketplace calls its states:
 * not shipped yet, shipped (or further), or cancelled before it shipped. Each robot maps its own
 * states here, one comment per state; an unknown state is reported, never guessed.
 */
export const ORDER_STAGES = ['awaiting_shipment', 'shipped', 'cancelled'] as const;
export type OrderStage = (typeof ORDER_STAGES)[number];

/** Where a promise came from, most trusted first. */
export const PROMISE_SOURCES = ['delivery_date', 'platform_field', 'shipping_deadline'] as const;
export type PromiseSource = (typeof PROMISE_SOURCES)[number];

/** An order as a marketplace shows it (back office or API): what was promised and how it ships. */
export interface MarketplaceOrder {
  orderRef: string;
  /** The marketplace's own state label (shipped, delivered, refunded...), kept as shown. */
  state: string;
  /** The state in parcelbot's terms, when the robot reads states it can map (API robots). */
  stage?: OrderStage;
  customerName?: string;
  lines: { sku: string; title: string; quantity: number; unitPrice: number }[];
  total?: number;
  currency?: string;
  /** The carrier as the marketplace names it (a carrier code for Mirakl, a name on a portal). */
  carrier?: string;
  /** The parcelbot robot that carrier is, when the marketplace's code is a known one. */
  carrierId?: string;
  trackingNumber?: string;
  /** Promised delivery day or window (YYYY-MM-DD). */
  promisedFrom?: string;
  promisedTo?: string;
  promiseSource?: PromiseSource;
  /** The instant the seller must ship by (ISO 8601). */
  shipBy?: string;
  createdAt?: string;
  /** When the marketplace last changed the order (ISO 8601): what an incremental sync reads by. */
  updatedAt?: string;
  /** The sales channel, as shipments store it: `mirakl:<instance or channel>`, `amazon:fr`... */
  channel?: string;
  /** Personal data: stored with the shipment, never logged or reported. */
  customerEmail?: string;
  /** The customer's locale as the marketplace gives it (`fr_FR`, `en`...). */
  customerLocale?: string;
  /** ISO 3166-1 alpha-2 country of delivery. */
  destinationCountry?: string;
}

export interface OrderQuery {
  states?: string[];
  /** Orders created from / to these days (YYYY-MM-DD), inclusive. */
  from?: string;
  to?: string;
}

/**
 * One page of the orders a marketplace changed in a window of time, for the marketplace sync
 * (src/marketplace). Instants are ISO 8601 UTC; both ends are inclusive.
 */
export interface OrderPageQuery {
  updatedFrom: string;
  updatedTo: string;
  /** The `next` of the page before; absent for the window's first page. */
  page?: string;
}

/** An order the marketplace sent that cannot be read, with why (never personal data). */
export interface RejectedOrder {
  /** Absent when the order id itself is missing. */
  orderRef?: string;
  reason: string;
}

export interface OrderPage {
  orders: MarketplaceOrder[];
  /** Orders of this page that could not be read: reported, never skipped silently. */
  rejected: RejectedOrder[];
  /** Where the next page starts, opaque; absent on the window's last page. */
  next?: string;
}

export interface RefundRequest {
  orderRef: string;
  amount: number;
  currency: string;
  reason: string;
}

export interface RefundReceipt {
  orderRef: string;
  /** The marketplace's reference for the refund. */
  reference: string;
  amount: number;
}
