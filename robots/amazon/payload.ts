import { z } from 'zod';
import { accessToken, MAX_TOKEN_LIFETIME_SECONDS } from '../../src/robot-kit/index.ts';

/** ISO 8601 with `Z` or an offset (`2017-01-20T19:49:35Z`). */
export const instant = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 date and time' });

/**
 * Orders v0 bodies (carrier-apis.md 9.4-9.7, specs/amazon-orders-v0.json), as far as the robot
 * reads them; objects stay loose. The page is checked as a whole, each order on its own.
 */
export const getOrdersResponse = z.looseObject({
  payload: z.looseObject({
    Orders: z.array(z.unknown()),
    // "When present and not empty, pass this string token": an empty one means no next page.
    NextToken: z.string().optional().transform((token) => token || undefined),
    LastUpdatedBefore: z.string().optional(),
  }),
});

/** One order: `AmazonOrderId` (3-7-7), `PurchaseDate`, `LastUpdateDate` and `OrderStatus` are required. */
export const amazonOrder = z.looseObject({
  AmazonOrderId: z.string().regex(/^\d{3}-\d{7}-\d{7}$/, 'expected an Amazon order id such as 902-3159896-1390916'),
  PurchaseDate: instant,
  LastUpdateDate: instant,
  OrderStatus: z.string().min(1),
  MarketplaceId: z.string().optional(),
  EarliestShipDate: instant.optional(),
  LatestShipDate: instant.optional(),
  EarliestDeliveryDate: instant.optional(),
  LatestDeliveryDate: instant.optional(),
  OrderTotal: z.looseObject({ CurrencyCode: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code'), Amount: z.string() }).optional(),
  ShippingAddress: z.looseObject({ CountryCode: z.string().optional() }).optional(),
});

export type AmazonOrder = z.infer<typeof amazonOrder>;

/** Every error status (400, 403, 404, 429, 500, 503) answers `errors[]`. */
export const errorsBody = z.looseObject({
  errors: z.array(z.looseObject({ code: z.string(), message: z.string(), details: z.string().optional() })).min(1),
});

/** Login with Amazon's token answer. */
export const lwaTokenResponse = z.looseObject({
  access_token: accessToken,
  expires_in: z.number().int().positive().max(MAX_TOKEN_LIFETIME_SECONDS),
});
