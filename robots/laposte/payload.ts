import { z } from 'zod';

/**
 * The La Poste Suivi v2 body, as far as the robot reads it (carrier-apis.md 2.3 and 2.6).
 * Objects stay loose: La Poste adds fields (contextData, url, holder...) the robot does not need,
 * and an extra field is not a format change. A missing or retyped field the robot reads is one.
 */

/** Every La Poste date carries its offset (`2023-03-09T09:38:00+01:00`); a date without one is a format change. */
const isoDate = z.iso.datetime({ offset: true });

/**
 * `estimHourMin` / `estimHourMax`: the data model names them without a format. Both a local time
 * of day ("HH:MM") and a full dated time are accepted; anything else is a format change.
 */
const hourOfDay = z.union([z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected "HH:MM"'), isoDate]);

const event = z.looseObject({
  code: z.string().min(1),
  label: z.string(),
  date: isoDate,
});

/** One of the 5 progress steps; `date` is only present on reached steps. */
const timelineStep = z.looseObject({
  id: z.number().int(),
  status: z.boolean(),
  date: isoDate.optional(),
});

const shipment = z.looseObject({
  idShip: z.string().min(1),
  product: z.string().min(1).optional(),
  isFinal: z.boolean(),
  deliveryDate: isoDate.optional(),
  estimDate: isoDate.optional(),
  estimHourMin: hourOfDay.optional(),
  estimHourMax: hourOfDay.optional(),
  timeline: z.array(timelineStep),
  event: z.array(event),
});

/** A number La Poste found. */
const foundItem = z.looseObject({
  returnCode: z.literal(200),
  shipment,
});

/**
 * The `returnCode` error shape: 404 unknown number, 400 invalid number (with `idShip`) or
 * malformed request (without). Gateway errors (`code` / `message`) come with statuses the
 * client handles before parsing, so they are no valid body here.
 */
const errorItem = z.looseObject({
  returnCode: z.literal([400, 404]),
  returnMessage: z.string(),
  idShip: z.string().min(1).optional(),
});

const item = z.discriminatedUnion('returnCode', [foundItem, errorItem]);

/**
 * The items of an answer. La Poste sends a bare object (one id) or an array (several ids, or
 * one per the OpenAPI): the parser wraps a bare object in an array before validating it.
 */
export const idshipsItems = z.array(item).min(1);

export type IdshipsItem = z.infer<typeof item>;
export type LaPosteShipment = z.infer<typeof shipment>;
export type LaPosteEvent = z.infer<typeof event>;
