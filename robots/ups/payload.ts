import { z } from 'zod';
import { isCalendarDay } from '../../src/domain/calendar-day.ts';
import { accessToken, MAX_TOKEN_LIFETIME_SECONDS } from '../../src/robot-kit/index.ts';

/**
 * The UPS Track API v1 bodies, as far as the robot reads them (carrier-apis.md 4.1-4.6 and
 * specs/ups-tracking-openapi.yaml). Objects stay loose: UPS adds fields (milestones, weight,
 * packageAddress...) the robot does not need, and an extra field is not a format change. A
 * missing or retyped field the robot reads is one.
 */

/** `YYYYMMDD`, a day of the calendar (no November 31st). */
const yyyymmdd = z
  .string()
  .refine((value) => /^\d{8}$/.test(value) && isCalendarDay(`${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}`), 'expected a date YYYYMMDD');
/** `HHMMSS`, 24 h. */
const hhmmss = z.string().regex(/^([01]\d|2[0-3])[0-5]\d[0-5]\d$/, 'expected a time HHMMSS');
/** The OpenAPI's example is "74700" (leading zero dropped); "07:47:00" is accepted too. */
const gmtTime = z.string().regex(/^(\d{5,6}|\d{2}:\d{2}:\d{2})$/, 'expected a time HHMMSS');
/** `-05:00` in the OpenAPI example. */
const gmtOffset = z.string().regex(/^[+-](0\d|1[0-4]):?[0-5]\d$/, 'expected an offset such as -05:00');

const status = z
  .looseObject({
    type: z.string().min(1).optional(),
    /** 2-character scan, delivery or exception code. */
    code: z.string().optional(),
    /** 3-digit status/description code, zero-padded ("011"). */
    statusCode: z.string().regex(/^\d{3}$/, 'expected a 3-digit status code').optional(),
    description: z.string().optional(),
  })
  .refine((s) => s.type !== undefined || s.statusCode !== undefined, 'expected a type or a statusCode');

const address = z.looseObject({
  city: z.string().optional(),
  stateProvince: z.string().optional(),
  countryCode: z.string().optional(),
  country: z.string().optional(),
});

const activity = z.looseObject({
  date: yyyymmdd,
  time: hhmmss,
  gmtDate: yyyymmdd.optional(),
  gmtTime: gmtTime.optional(),
  gmtOffset: gmtOffset.optional(),
  location: z.looseObject({ address: address.optional() }).optional(),
  status,
});

const deliveryDate = z.looseObject({
  /** SDD scheduled, RDD rescheduled, DEL delivered. */
  type: z.string(),
  date: yyyymmdd,
});

const deliveryTime = z.looseObject({
  /** EOD, CMT, EDW, CDW, IDW or DEL. */
  type: z.string().optional(),
  startTime: hhmmss.optional(),
  endTime: hhmmss.optional(),
});

const trackedPackage = z.looseObject({
  trackingNumber: z.string().optional(),
  /** Most recent first, per the OpenAPI. */
  activity: z.array(activity),
  deliveryDate: z.array(deliveryDate).default([]),
  deliveryTime: deliveryTime.optional(),
  service: z.looseObject({ description: z.string().optional() }).optional(),
});

const message = z.looseObject({ code: z.string(), message: z.string() });

const shipment = z.looseObject({
  inquiryNumber: z.string().optional(),
  package: z.array(trackedPackage).optional(),
  /** `TW0001` "Tracking Information Not Found" comes here, with HTTP 200. */
  warnings: z.array(message).optional(),
});

export const trackApiResponse = z.looseObject({
  trackResponse: z.looseObject({ shipment: z.array(shipment).min(1) }),
});

/** Every UPS error status (400, 401, 403, 404, 500, 503) answers this shape. */
export const errorResponse = z.looseObject({
  response: z.looseObject({ errors: z.array(message).min(1) }),
});

/**
 * The token response: `expires_in` (seconds) and `issued_at` (epoch ms) are strings at UPS
 * ("14399"); a number is accepted too, as OAuth 2 (RFC 6749) writes it.
 */
const digits = z.union([z.string().regex(/^\d+$/, 'expected a whole number of seconds'), z.number().int().nonnegative()]);

export const tokenResponse = z.looseObject({
  access_token: accessToken,
  expires_in: digits.refine((seconds) => Number(seconds) <= MAX_TOKEN_LIFETIME_SECONDS, 'expected at most a year of seconds'),
  token_type: z.string().optional(),
  issued_at: digits.optional(),
});

export type UpsShipment = z.infer<typeof shipment>;
export type UpsPackage = z.infer<typeof trackedPackage>;
export type UpsActivity = z.infer<typeof activity>;
export type UpsDeliveryTime = z.infer<typeof deliveryTime>;
