/** An order as a marketplace's seller back office shows it: what was promised and how it ships. */
export interface MarketplaceOrder {
  orderRef: string;
  /** The marketplace's own state label (shipped, delivered, refunded...), kept as shown. */
  state: string;
  customerName?: string;
  lines: { sku: string; title: string; quantity: number; unitPrice: number }[];
  total?: number;
  currency?: string;
  carrier?: string;
  trackingNumber?: string;
  /** Promised delivery day or window (YYYY-MM-DD). */
  promisedFrom?: string;
  promisedTo?: string;
  createdAt?: string;
}

export interface OrderQuery {
  states?: string[];
  /** Orders created from / to these days (YYYY-MM-DD), inclusive. */
  from?: string;
  to?: string;
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
