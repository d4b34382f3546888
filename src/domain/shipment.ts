import type { PostalAddress } from './postal-address.ts';
import type { StatusReason } from './status-reason.ts';
import type { Verdict } from './verdict.ts';
import type { TrackingStatus } from './tracking-status.ts';

/** The order data a shipment is imported with (CLI import, marketplace sync, API). */
export interface ShipmentInput {
  trackingNumber: string;
  carrier: string;
  orderRef?: string;
  /** Sales channel: own site, a marketplace, a distributor... */
  channel?: string;
  customerEmail?: string;
  /** Where the customer lives: the sender of a return label. */
  customerAddress?: PostalAddress;
  /** The language answers and e-mails are written in. */
  customerLang: CustomerLanguage;
  declaredValue?: number;
  currency?: string;
  /** ISO 3166-1 alpha-2 country of delivery; business days are counted there. */
  destinationCountry: string;
  /** What the customer was promised: a date (YYYY-MM-DD) or a window of dates. */
  promisedFrom?: string;
  promisedTo?: string;
}

export const CUSTOMER_LANGUAGES = ['fr', 'en'] as const;
export type CustomerLanguage = (typeof CUSTOMER_LANGUAGES)[number];

/** A shipment as stored, with what the robots last read. */
export interface Shipment extends ShipmentInput {
  id: number;
  product?: string;
  status: TrackingStatus;
  statusReason?: StatusReason;
  estimatedFrom?: string;
  estimatedTo?: string;
  deliveredAt?: string;
  isFinal: boolean;
  /** When the robots first read it as final (delivered, cancelled, lost). */
  finalAt?: string;
  /** Set when a read contradicted the stored status (e.g. `status_regressed`): flagged, not overwritten. */
  anomaly?: string;
  lastCheckedAt?: string;
  /** For a reshipment's parcel: the id of the shipment it replaces. */
  reshipmentOf?: number;
  /** How it stands against its promise, as last judged after a check (src/promise/), and when. */
  verdict?: Verdict;
  verdictAt?: string;
  createdAt: string;
}
