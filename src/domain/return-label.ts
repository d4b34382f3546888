import type { PostalAddress } from './postal-address.ts';

/**
 * Who a return goes between, for carriers whose label service names both ends (Colissimo): a
 * portal that knows the account's parcels (relay-portal) needs none of it.
 */
export interface ReturnParties {
  /** The sender of the return. */
  customer: PostalAddress;
  /** Where returns are sent: the merchant's return address (MERCHANT_RETURN_ADDRESS). */
  merchant: PostalAddress;
  orderRef?: string;
  /** The parcel's weight as declared on the label; the carrier's default when absent. */
  weightKg?: number;
}

/** A carrier's return label: the PDF the customer prints, and the return parcel's own number. */
export interface ReturnLabel {
  fileName: string;
  pdf: Buffer;
  returnTrackingNumber?: string;
}
