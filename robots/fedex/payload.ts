import { z } from 'zod';
import { accessToken, MAX_TOKEN_LIFETIME_SECONDS } from '../../src/robot-kit/index.ts';

/**
 * The FedEx Track v1 and OAuth bodies, as far as the robot reads them (carrier-apis.md 5.1-5.7,
 * specs/fedex-track-openapi.json). Objects stay loose: FedEx sends many fields the robot does not
 * need (addresses, package details...). A missing or retyped field the robot reads is a format change.
 */

/** Scan dates always carry their offset (`2024-08-20T12:41:57-04:00`), which differs between scans. */
const isoWithOffset = z.iso.datetime({ offset: true });

/**
 * `dateAndTimes[].dateTime` and time windows: the OpenAPI's own examples omit the offset
 * (`2021-10-01T08:00:00`) while real payloads carry one, so both are accepted; dates.ts decides
 * what an offset-less value means.
 */
const isoMaybeLocal = z.iso.datetime({ offset: true, local: true });

const address = z.looseObject({
  city: z.string().optional(),
  stateOrProvinceCode: z.string().optional(),
  postalCode: z.string().optional(),
  countryCode: z.string().optional(),
});

/** `type` WEATHER | OPERATIONAL | LOCAL | GENERAL | CLEARANCE; `status` DELAYED | ON_TIME | EARLY. */
const delayDetail = z.looseObject({
  type: z.string().optional(),
  status: z.string().optional(),
});

const scanEvent = z.looseObject({
  date: isoWithOffset,
  eventType: z.string().min(1),
  eventDescription: z.string(),
  derivedStatusCode: z.string().optional(),
  exceptionCode: z.string().optional(),
  exceptionDescription: z.string().optional(),
  scanLocation: address.optional(),
  delayDetail: delayDetail.optional(),
});

const statusDetail = z.looseObject({
  code: z.string().min(1),
  derivedCode: z.string().optional(),
  statusByLocale: z.string().optional(),
  description: z.string(),
  ancillaryDetails: z.array(z.looseObject({ reason: z.string().optional(), reasonDescription: z.string().optional() })).optional(),
  delayDetail: delayDetail.optional(),
});

const dateAndTime = z.looseObject({
  type: z.string(),
  dateTime: isoMaybeLocal,
});

/** `window` may be `{}` (real delivered sample) or carry one or both ends. */
const timeWindow = z.looseObject({
  window: z.looseObject({ begins: isoMaybeLocal.optional(), ends: isoMaybeLocal.optional() }).optional(),
});

const cxsError = z.looseObject({
  code: z.string().min(1),
  message: z.string().optional(),
});

/**
 * One shipment behind a number (several when FedEx reused the number), or a per-number `error`
 * (unknown or invalid number) inside an HTTP 200. A result without `error` is a found shipment and
 * must have a status and its scans (the robot always asks for `includeDetailedScans`).
 */
const trackResult = z
  .looseObject({
    error: cxsError.optional(),
    serviceDetail: z.looseObject({ description: z.string().optional() }).optional(),
    latestStatusDetail: statusDetail.optional(),
    scanEvents: z.array(scanEvent).optional(),
    dateAndTimes: z.array(dateAndTime).optional(),
    estimatedDeliveryTimeWindow: timeWindow.optional(),
    standardTransitTimeWindow: timeWindow.optional(),
  })
  .superRefine((result, context) => {
    if (result.error !== undefined) return;
    for (const field of ['latestStatusDetail', 'scanEvents'] as const) {
      if (result[field] === undefined) context.addIssue({ code: 'custom', path: [field], message: 'required in a result without error' });
    }
  });

/** The schema says an array of alerts; the OpenAPI example (and karrio's fixture) is one string. */
const alerts = z.union([z.string(), z.array(z.looseObject({ code: z.string(), alertType: z.string().optional(), message: z.string().optional() }))]);

/** The results of one number: read number by number, so one that cannot be read fails that number alone. */
export const trackResults = z.array(trackResult).min(1);

/** HTTP 200 of `POST /track/v1/trackingnumbers`; each number's `trackResults` are read with `trackResults`. */
export const trackResponse = z.looseObject({
  transactionId: z.string().min(1),
  customerTransactionId: z.string().optional(),
  output: z.looseObject({
    completeTrackResults: z.array(z.looseObject({ trackingNumber: z.string(), trackResults: z.unknown() })),
    alerts: alerts.optional(),
  }),
});

/** Every error status of Track and OAuth: `{"transactionId", "customerTransactionId"?, "errors": [{code, message}]}`. */
export const errorResponse = z.looseObject({
  transactionId: z.string().optional(),
  errors: z.array(cxsError).min(1),
});

/** `POST /oauth/token`. FedEx shows no exact sample (carrier-apis.md 5.1); `expires_in` is read as seconds. */
export const tokenResponse = z.looseObject({
  access_token: accessToken,
  token_type: z.string().regex(/^bearer$/i, 'expected "bearer"'),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/, 'expected seconds').transform(Number)]).pipe(z.number().positive().max(MAX_TOKEN_LIFETIME_SECONDS)),
});

export type TrackResult = z.infer<typeof trackResult>;
export type FoundTrackResult = TrackResult & Required<Pick<TrackResult, 'latestStatusDetail' | 'scanEvents'>>;
export type ScanEvent = z.infer<typeof scanEvent>;
export type StatusDetail = z.infer<typeof statusDetail>;
export type TimeWindowPayload = z.infer<typeof timeWindow>;
export type DateAndTime = z.infer<typeof dateAndTime>;
export type FedExError = z.infer<typeof cxsError>;
