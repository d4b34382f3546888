import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../config.ts';
import type { ClaimType } from '../../domain/claim.ts';
import { isTimeZone } from '../../domain/calendar-day.ts';

/** The claim windows shipped with parcelbot; CLAIM_WINDOWS_FILE points at another. */
export const DEFAULT_CLAIM_WINDOWS_FILE = fileURLToPath(new URL('./claim-windows.yaml', import.meta.url));

export const WINDOW_ANCHORS = ['delivered', 'promised', 'last_event'] as const;
export type WindowAnchor = (typeof WINDOW_ANCHORS)[number];
export const DAY_COUNTS = ['calendar', 'without_holidays', 'business'] as const;
export type DayCount = (typeof DAY_COUNTS)[number];

const spanSchema = z.strictObject({
  days: z.number().int().min(0).max(3650),
  count: z.enum(DAY_COUNTS),
  from: z.union([z.enum(WINDOW_ANCHORS), z.array(z.enum(WINDOW_ANCHORS)).min(1)]).transform((from) => (Array.isArray(from) ? from : [from])),
});

const windowSchema = z.strictObject({
  opens: spanSchema.optional(),
  closes: spanSchema,
  source: z.string().min(10, 'say where the window comes from (law, carrier terms, contract)'),
});

export const CAP_UNITS = ['parcel', 'kg'] as const;

const capSchema = z.strictObject({
  product: z.string().min(1, 'expected the product as the carrier names it, such as colissimo; leave it out for any product').optional(),
  max: z.number({ error: 'expected the most the carrier pays, a number such as 25' }).positive({ error: 'expected the most the carrier pays, a number above 0' }),
  per: z.enum(CAP_UNITS, { error: 'expected parcel (a flat cap) or kg (per kilogram of the parcel)' }),
  currency: z.string({ error: 'expected the currency of max, a 3-letter ISO 4217 code such as EUR' }).regex(/^[A-Z]{3}$/, 'expected a 3-letter ISO 4217 code such as EUR'),
  source: z.string({ error: 'say where the cap comes from (carrier terms, contract)' }).min(10, 'say where the cap comes from (carrier terms, contract)'),
});

/** The first cap whose product matches applies: one that no parcel could reach is a mistake in the file. */
const capsSchema = z.array(capSchema).superRefine((caps, context) => {
  caps.forEach((cap, index) => {
    const earlier = caps.findIndex((other, before) => before < index && (other.product === undefined || other.product.toLowerCase() === cap.product?.toLowerCase()));
    if (earlier >= 0) {
      const covered = caps[earlier]!.product === undefined ? 'every product' : cap.product;
      context.addIssue({ code: 'custom', path: [index, 'product'], message: `never applies: caps[${earlier}] already covers ${covered}; give each product one cap, and put the cap without product last` });
    }
  });
});

const carrierSchema = z.strictObject({
  file_at: z.string().min(1).optional(),
  lost: windowSchema.optional(),
  late: windowSchema.optional(),
  damaged: windowSchema.optional(),
  caps: capsSchema.optional(),
});

const fileSchema = z.strictObject({
  version: z.number().int().positive(),
  reviewed: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected the date of the last review, YYYY-MM-DD'),
  calendar: z.strictObject({
    country: z.string().regex(/^[A-Z]{2}$/, 'expected a 2-letter ISO 3166 country code such as FR'),
    time_zone: z.string().refine(isTimeZone, 'expected an IANA time zone such as Europe/Paris'),
  }),
  defaults: carrierSchema.extend({ file_at: z.string().min(1), lost: windowSchema, late: windowSchema, damaged: windowSchema }),
  carriers: z.record(z.string(), carrierSchema).default({}),
});

export type ClaimSpan = z.output<typeof spanSchema>;
export type ClaimWindowRule = z.output<typeof windowSchema>;
export type CompensationCap = z.output<typeof capSchema>;
export type ClaimWindows = z.output<typeof fileSchema> & { file: string };

/** Reads and checks a claim windows file; a mistake stops the start with `file:line: field: what is expected`. */
export async function loadClaimWindows(file: string = DEFAULT_CLAIM_WINDOWS_FILE): Promise<ClaimWindows> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`CLAIM_WINDOWS_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  return parseClaimWindows(text, file);
}

export function parseClaimWindows(text: string, file: string): ClaimWindows {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true });
  const [yamlError] = document.errors;
  if (yamlError) throw new ConfigError(`${file}:${yamlError.linePos?.[0].line ?? 1}: ${yamlError.message.split('\n')[0]}`);
  const parsed = fileSchema.safeParse(document.toJS());
  if (parsed.success) return { ...parsed.data, file };
  const issue = parsed.error.issues[0]!;
  // The deepest node the path reaches: a missing key points at its parent.
  let node: { range?: [number, number, number] } | undefined;
  for (let depth = issue.path.length; depth >= 0 && !node?.range; depth -= 1) node = document.getIn(issue.path.slice(0, depth), true) as typeof node;
  const line = node?.range ? lineCounter.linePos(node.range[0]).line : 1;
  throw new ConfigError(`${file}:${line}: ${issue.path.join('.') || 'file'}: ${issue.message}`);
}

/** The window for this carrier and claim type: the carrier's own entry, else the defaults. */
export function windowRuleOf(windows: ClaimWindows, carrier: string, type: ClaimType): ClaimWindowRule {
  return windows.carriers[carrier]?.[type] ?? windows.defaults[type];
}

/**
 * The most this carrier pays for a parcel of this product (not insured with it): the carrier's
 * own caps, else the defaults'; the first whose product matches. Undefined when none is known.
 */
export function compensationCapOf(windows: ClaimWindows, carrier: string, product: string | undefined): CompensationCap | undefined {
  const caps = windows.carriers[carrier]?.caps ?? windows.defaults.caps ?? [];
  return caps.find((cap) => cap.product === undefined || cap.product.toLowerCase() === product?.toLowerCase());
}

/** Where an agent files a claim with this carrier by hand. */
export function whereToFile(windows: ClaimWindows, carrier: string): string {
  return windows.carriers[carrier]?.file_at ?? windows.defaults.file_at;
}
