import { z } from 'zod';
import { readTimestamp } from './local-time.ts';

/**
 * The DHL Shipment Tracking – Unified body, as far as the robot reads it (OpenAPI 1.4.1,
 * carrier-apis.md 3.3 and 3.6). Objects stay loose: DHL adds fields (`details.weight`,
 * `proofOfDeliverySignedAvailable`, `dgf:routes`...) the robot does not need. A missing or retyped
 * field the robot reads is a format change and fails loudly.
 */

/** An ISO 8601 date or date-time, with or without a zone (parcel-de writes none). */
const timestamp = z.string().refine((value) => readTimestamp(value) !== undefined, 'expected an ISO 8601 date or date-time');

const address = z.looseObject({
  countryCode: z.string().optional(),
  postalCode: z.string().optional(),
  addressLocality: z.string().optional(),
});

const place = z.looseObject({ address: address.optional() });

const event = z.looseObject({
  timestamp,
  location: place.optional(),
  // Not an enum: a code DHL adds later is recorded as unmapped, not a reason to drop the answer.
  statusCode: z.string().min(1),
  status: z.string().optional(),
  description: z.string().optional(),
  remark: z.string().optional(),
});

const shipment = z.looseObject({
  // The spec's example has a number (`7777777770`); captures have strings.
  id: z.union([z.string().min(1), z.number()]).transform(String),
  // Not an enum: real answers name services the 1.4.1 enum lacks (post-international, svb...).
  service: z.string().optional(),
  origin: place.optional(),
  destination: place.optional(),
  status: event.optional(),
  estimatedTimeOfDelivery: timestamp.optional(),
  estimatedDeliveryTimeFrame: z.looseObject({ estimatedFrom: timestamp.optional(), estimatedThrough: timestamp.optional() }).optional(),
  details: z
    .looseObject({
      product: z.looseObject({ productName: z.string().optional() }).optional(),
      proofOfDelivery: z.looseObject({ timestamp: timestamp.optional() }).optional(),
      pieceIds: z.array(z.string()).optional(),
    })
    .optional(),
  events: z.array(event).default([]),
});

/** `supermodelIoLogisticsTrackingShipments`: the 200 answer. */
export const shipmentsAnswer = z.looseObject({
  shipments: z.array(shipment),
  possibleAdditionalShipmentsUrl: z.array(z.string()).optional(),
});

/**
 * The documented answer for a number no DHL source knows (carrier-apis.md 3.6):
 * `{"title":"No result found","detail":"No shipment with given tracking number found.","status":404,"instance":"/shipment/8264715546"}`.
 * Its texts may follow `language` (the 404 declares a Content-Language), so only their presence
 * is checked; `instance` names the shipment in every language, which a gateway's 404 (a wrong
 * base URL) does not. `status` repeats the HTTP status, when there at all.
 */
export const notFoundAnswer = z.looseObject({
  title: z.string().min(1),
  detail: z.string().min(1),
  status: z.union([z.literal(404), z.literal('404')], { error: 'expected 404' }).optional(),
  instance: z.string().regex(/^\/shipment\/\S+$/, 'expected "/shipment/<number>"'),
});

/** `supermodelIoLogisticsApiProblemDetail` (RFC 7807): every error answer. */
export const problemDetail = z.looseObject({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().optional(),
  detail: z.string().optional(),
  instance: z.string().optional(),
});

export type DhlShipment = z.infer<typeof shipment>;
export type DhlEvent = z.infer<typeof event>;
