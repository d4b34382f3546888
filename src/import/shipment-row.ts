import { z } from 'zod';
import { refinePlainText } from '../domain/plain-text.ts';
import { checkTrackingNumberShape, normalizeTrackingNumber } from '../domain/tracking-number.ts';
import type { AddressWrite, ShipmentWrite } from '../store/shipment-repository.ts';

/** The columns of an import file (CSV header or JSON keys). `tracking_number` and `carrier` are required. */
export const IMPORT_COLUMNS = [
  'tracking_number',
  'carrier',
  'order_ref',
  'channel',
  'customer_email',
  'customer_lang',
  'customer_name',
  'customer_address',
  'customer_address_2',
  'customer_postcode',
  'customer_city',
  'customer_phone',
  'declared_value',
  'currency',
  'destination_country',
  'promised_date',
  'promised_from',
  'promised_to',
] as const;

export const REQUIRED_COLUMNS = ['tracking_number', 'carrier'] as const;

const required = { error: (issue: { input: unknown }) => (issue.input === undefined ? 'required' : 'expected text') };
const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
const text = (max: number) => optional(z.string('expected text').superRefine(refinePlainText).trim().max(max, `expected at most ${max} characters`));

const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'expected a real calendar date')
  // A promise is for this century: year 0000 or 9999 is a typo (and year 0000 no store keeps).
  .refine((value) => value >= '2000' && value < '2100', 'expected a year from 2000 to 2099');

const ADDRESS_PARTS = ['customer_name', 'customer_address', 'customer_postcode', 'customer_city'] as const;
const ADDRESS_EXTRAS = ['customer_address_2', 'customer_phone'] as const;

const rowSchema = z
  .object({
    tracking_number: z.preprocess(
      (value) => (typeof value === 'string' ? normalizeTrackingNumber(value) : value),
      z.string(required).superRefine((value, context) => {
        const problem = checkTrackingNumberShape(value);
        if (problem) context.addIssue({ code: 'custom', message: problem });
      }),
    ),
    carrier: z.preprocess((value) => (typeof value === 'string' ? value.trim().toLowerCase() : value), z.string(required).min(1, 'required').superRefine(refinePlainText)),
    order_ref: text(100),
    channel: text(100),
    customer_email: optional(z.string('expected text').trim().max(254).pipe(z.email('expected an e-mail address such as name@example.com'))),
    // No default here: a re-import without a language keeps the stored one (fr for a new shipment).
    customer_lang: optional(z.enum(['fr', 'en'], 'expected fr or en')),
    declared_value: optional(
      z.preprocess(
        (value) => (typeof value === 'string' ? Number(value.trim().replace(',', '.')) : value),
        z.number('expected an amount such as 49.90').finite('expected an amount such as 49.90').min(0, 'expected an amount of 0 or more').max(1e9, 'expected an amount below 1,000,000,000'),
      ),
    ),
    currency: optional(z.string('expected text').trim().regex(/^[A-Za-z]{3}$/, 'expected a 3-letter ISO 4217 code such as EUR').toUpperCase()),
    // No default either, as for the language (FR for a new shipment).
    destination_country: optional(z.string('expected text').trim().regex(/^[A-Za-z]{2}$/, 'expected a 2-letter ISO 3166 country code such as FR').toUpperCase()),
    customer_name: text(100),
    customer_address: text(100),
    customer_address_2: text(100),
    customer_postcode: optional(z.string('expected text').trim().regex(/^[A-Za-z0-9 -]{2,10}$/, 'expected a postcode such as 75002')),
    customer_city: text(60),
    customer_phone: optional(z.string('expected text').trim().regex(/^\+?[0-9 .()-]{6,20}$/, 'expected a phone number such as +33612345678')),
    promised_date: optional(isoDate),
    promised_from: optional(isoDate),
    promised_to: optional(isoDate),
  })
  .refine((row) => !(row.promised_date && (row.promised_from || row.promised_to)), {
    path: ['promised_date'],
    message: 'give either promised_date or promised_from/promised_to, not both',
  })
  .refine((row) => !(row.promised_from && row.promised_to && row.promised_to < row.promised_from), {
    path: ['promised_to'],
    message: 'must not be before promised_from',
  })
  .superRefine((row, context) => {
    // An address is all of name, street, postcode and city, or none: a label cannot be half addressed.
    // A line 2 or a phone belongs to an address: alone, it would be dropped without a word.
    const given = [...ADDRESS_PARTS, ...ADDRESS_EXTRAS].filter((part) => row[part] !== undefined);
    const missing = ADDRESS_PARTS.find((part) => row[part] === undefined);
    if (given.length > 0 && missing) context.addIssue({ code: 'custom', path: [missing], message: `required with ${given[0]} (an address has ${ADDRESS_PARTS.join(', ')})` });
  });

export type RowCheck = { ok: true; shipment: ShipmentWrite } | { ok: false; field: string; message: string };

/**
 * Validates one import row. `checkCarrier` says why a carrier or number is refused (unknown
 * carrier, wrong format for that carrier), or null.
 */
export function checkShipmentRow(raw: Record<string, unknown>, checkCarrier: (carrier: string, trackingNumber: string) => { field: string; message: string } | null): RowCheck {
  const parsed = rowSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, field: String(issue?.path[0] ?? 'row'), message: issue?.message ?? 'invalid' };
  }
  const row = parsed.data;
  const carrierProblem = checkCarrier(row.carrier, row.tracking_number);
  if (carrierProblem) return { ok: false, ...carrierProblem };
  return {
    ok: true,
    shipment: {
      trackingNumber: row.tracking_number,
      carrier: row.carrier,
      orderRef: row.order_ref,
      channel: row.channel,
      customerEmail: row.customer_email,
      customerAddress: addressOf(row),
      customerLang: row.customer_lang,
      declaredValue: row.declared_value,
      currency: row.currency,
      destinationCountry: row.destination_country,
      // Each end as given: what a row leaves out, the store fills in (see ShipmentWrite).
      promisedFrom: row.promised_date ?? row.promised_from,
      promisedTo: row.promised_date ?? row.promised_to,
    },
  };
}

/**
 * The customer's address from its columns, without a country: the store puts it in the
 * shipment's destination country. Undefined when none was given.
 */
function addressOf(row: z.infer<typeof rowSchema>): AddressWrite | undefined {
  const { customer_name: name, customer_address: line1, customer_postcode: postcode, customer_city: city } = row;
  if (name === undefined || line1 === undefined || postcode === undefined || city === undefined) return undefined;
  return {
    name,
    line1,
    ...(row.customer_address_2 === undefined ? {} : { line2: row.customer_address_2 }),
    postcode,
    city,
    ...(row.customer_phone === undefined ? {} : { phone: row.customer_phone }),
  };
}
