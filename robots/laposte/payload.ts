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

/**
 * A number La Poste found: every 20x code, as karrio reads them (carrier-apis.md 2.6). The OpenAPI
 * documents 200 with a shipment and declares 201 and 208 without a meaning.
 */
const foundItem = z.looseObject({
  returnCode: z.int(),
  shipment,
});

/**
 * Any other code: an error about one number (with `idShip`) or about the whole call (without).
 * The code stays a plain number: besides 400 and 404, the OpenAPI declares 101, 104, 105, 109
 * and 504, giving a meaning to 104 only, and parse.ts reads every code for its own number.
 * Gateway errors (`code` / `message`) come with statuses the client handles before parsing, so
 * they are no valid body here.
 */
const errorItem = z.looseObject({
  returnCode: z.int(),
  returnMessage: z.string(),
  idShip: z.string().min(1).optional(),
});

export type FoundItem = z.infer<typeof foundItem>;
export type ErrorItem = z.infer<typeof errorItem>;
export type IdshipsItem = FoundItem | ErrorItem;

/** 20x: the item is a found number (with a `shipment` once validated). */
export function isFound(item: { returnCode: number }): item is FoundItem {
  return item.returnCode >= 200 && item.returnCode < 300;
}

/**
 * The code says which shape the rest of the item has, so it is read first; no union type of zod
 * selects on a range of codes. The issues keep their paths, so errors still point at the field.
 */
const item = z.looseObject({ returnCode: z.int() }).transform((head, ctx): IdshipsItem => {
  const result = (isFound(head) ? foundItem : errorItem).safeParse(head);
  if (result.success) return result.data;
  for (const { path, message } of result.error.issues) ctx.issues.push({ code: 'custom', path, message, input: head });
  return z.NEVER;
});

/** One item of an answer. Read item by item, so one that cannot be read fails its number alone. */
export const idshipsItem = item;

export type LaPosteShipment = z.infer<typeof shipment>;
export type LaPosteEvent = z.infer<typeof event>;
