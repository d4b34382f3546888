import { z } from 'zod';

/**
 * The Mirakl Seller API bodies the robot reads (carrier-apis.md 8.2-8.6). Objects stay loose:
 * Mirakl adds fields and asks integrations to accept them. The page envelope is checked as a
 * whole (a format change fails the page); each order on its own, so one unreadable order is
 * reported and the others of its page stand.
 */

/** ISO 8601 with `Z` or an offset, with or without milliseconds (`2025-01-21T22:59:59.999Z`). */
export const instant = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 date and time' });

/** OR11 `GET /api/orders`: the page, orders unread. */
export const orderListResponse = z.looseObject({
  orders: z.array(z.unknown()),
  total_count: z.number().int().min(0),
});

/** A tax on a line, its shipping or a refund of them: `{code, amount}` (OR11 adds `rate`). */
const tax = z.looseObject({ code: z.string().min(1), amount: z.number() });
export type MiraklTax = z.infer<typeof tax>;

const refund = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  amount: z.number(),
  shipping_amount: z.number().nullish(),
  taxes: z.array(tax).nullish(),
  shipping_taxes: z.array(tax).nullish(),
  reason_code: z.string().nullish(),
  order_refund_id: z.string().nullish(),
  created_date: instant.nullish(),
  /** WAITING_REFUND, WAITING_REFUND_PAYMENT, REFUNDED; REFUSED when the operator's payment refused it. */
  state: z.string().nullish(),
});

export const orderLine = z.looseObject({
  order_line_id: z.string().min(1),
  order_line_index: z.number().int().optional(),
  offer_sku: z.string().nullish(),
  product_title: z.string().nullish(),
  quantity: z.number().int().min(0),
  price: z.number(),
  price_unit: z.number().nullish(),
  shipping_price: z.number().nullish(),
  /** In the order's tax mode: part of `price` when TAX_INCLUDED, on top of it when TAX_EXCLUDED. */
  taxes: z.array(tax).nullish(),
  shipping_taxes: z.array(tax).nullish(),
  can_refund: z.boolean().nullish(),
  refunds: z.array(refund).nullish(),
});

const address = z.looseObject({
  country: z.string().nullish(),
  country_iso_code: z.string().nullish(),
});

const additionalField = z.looseObject({ code: z.string(), value: z.unknown() });

/** One OR11 order, as far as the robot reads it. */
export const miraklOrder = z.looseObject({
  order_id: z.string().min(1),
  order_state: z.string().min(1),
  created_date: instant,
  last_updated_date: instant,
  channel: z.looseObject({ code: z.string().nullish() }).nullish(),
  currency_iso_code: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code').nullish(),
  total_price: z.number().min(0).nullish(),
  order_tax_mode: z.enum(['TAX_EXCLUDED', 'TAX_INCLUDED']).nullish(),
  customer: z
    .looseObject({
      locale: z.string().nullish(),
      shipping_address: address.nullish(),
    })
    .nullish(),
  customer_notification_email: z.string().nullish(),
  delivery_date: z.looseObject({ earliest: instant.nullish(), latest: instant.nullish() }).nullish(),
  leadtime_to_ship: z.number().int().nullish(),
  shipping_deadline: instant.nullish(),
  order_additional_fields: z.array(additionalField).nullish(),
  order_lines: z.array(orderLine).default([]),
  shipping_carrier_code: z.string().nullish(),
  shipping_carrier_standard_code: z.string().nullish(),
  shipping_company: z.string().nullish(),
  shipping_tracking: z.string().nullish(),
});

export type MiraklOrder = z.infer<typeof miraklOrder>;
export type MiraklOrderLine = z.infer<typeof orderLine>;

/** OR28 `PUT /api/orders/refund` answer: the refunds created, one per order line. */
export const refundResponse = z.looseObject({
  refunds: z
    .array(
      z.looseObject({
        order_line_id: z.string().optional(),
        refund_id: z.union([z.string().min(1), z.number()]).transform(String),
        order_refund_id: z.string().nullish(),
        amount: z.number().nullish(),
        shipping_amount: z.number().nullish(),
      }),
    )
    .min(1),
});

/** Mirakl's error body is not publicly documented; the simulator answers `{status, message}`. */
export const errorBody = z.looseObject({ message: z.string() });
