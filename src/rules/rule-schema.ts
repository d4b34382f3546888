import { z } from 'zod';
import { CHECK_ACTION, FOLLOW_UP_KINDS } from '../domain/follow-up.ts';
import { refinePlainText } from '../domain/plain-text.ts';
import { TRACKING_STATUSES } from '../domain/tracking-status.ts';
import { VERDICTS } from '../domain/verdict.ts';
import { checkTemplate } from './reason-template.ts';
import { TRIGGERS } from './rule-facts.ts';
import { isThresholdName, THRESHOLD_NAMES, type Thresholds } from './thresholds.ts';
import { parseWhen, type WhenExpression } from './when-expression.ts';

/**
 * The rules file, checked with zod. Messages say what is wrong and how to fix it; the loader
 * (parse-rules.ts) adds file:line:col from the YAML document.
 */

export const ACTIONS = [...FOLLOW_UP_KINDS, CHECK_ACTION] as const;
export const CLAIM_TYPES = ['lost', 'late', 'damaged'] as const;
export const AGE_ANCHORS = ['promise', 'first_scan', 'last_scan'] as const;
export type AgeAnchor = (typeof AGE_ANCHORS)[number];

/** A number in a comparison, with the threshold it came from when it was written by name. */
export interface Bound {
  value: number;
  name?: string;
}

export interface Comparison {
  above?: Bound;
  atLeast?: Bound;
  below?: Bound;
  atMost?: Bound;
}

/** A strict object whose unknown keys are reported with the keys it accepts. */
function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const keys = Object.keys(shape).join(', ');
  return z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? `expected one of ${keys}` : undefined) });
}

function oneOf<const Values extends readonly [string, ...string[]]>(values: Values, noun: string) {
  return z.enum(values, { error: (issue) => `${JSON.stringify(issue.input)} is not ${noun}: expected one of ${values.join(', ')}` });
}

/** `late` or `[late, lost_suspected]`: a list either way. */
function oneOrMany<Item extends z.ZodType>(item: Item, noun: string) {
  return z.preprocess((input) => (Array.isArray(input) ? input : [input]), z.array(item).min(1, { error: `give at least one ${noun}` }));
}

/** Text a rule keeps (an id, a reason...): no control characters, which the store refuses (NUL) or a terminal obeys. */
function text(what: string, pattern = /\S/) {
  return z.string({ error: (issue) => (issue.input === undefined ? `missing: add ${what}` : `expected ${what}`) }).regex(pattern, { error: `expected ${what}` }).superRefine(refinePlainText);
}

function comparisonShape(thresholds: Thresholds) {
  const bound = z.unknown().transform((input, context): Bound => {
    if (typeof input === 'number' && Number.isFinite(input)) return { value: input };
    if (typeof input === 'string' && isThresholdName(input)) return { value: thresholds[input], name: input };
    context.addIssue({ code: 'custom', message: `${JSON.stringify(input)} is not a number or a threshold: expected a number or one of ${THRESHOLD_NAMES.join(', ')}` });
    return z.NEVER;
  });
  return { above: bound.optional(), at_least: bound.optional(), below: bound.optional(), at_most: bound.optional() };
}

interface RawComparison {
  above?: Bound;
  at_least?: Bound;
  below?: Bound;
  at_most?: Bound;
}

const hasBound = (raw: RawComparison) => [raw.above, raw.at_least, raw.below, raw.at_most].some((bound) => bound !== undefined);
const BOUND_NEEDED = { error: 'give at least one of above, at_least, below, at_most' };

function toComparison({ above, at_least, below, at_most }: RawComparison): Comparison {
  return { above, atLeast: at_least, below, atMost: at_most };
}

function matcherShape(thresholds: Thresholds) {
  const bounds = comparisonShape(thresholds);
  const currency = text('an ISO 4217 currency code such as EUR', /^[A-Z]{3}$/).default('EUR');
  return {
    trigger: oneOrMany(oneOf(TRIGGERS, 'a trigger'), 'trigger').optional(),
    verdict: oneOrMany(oneOf(VERDICTS, 'a verdict'), 'verdict').optional(),
    status: oneOrMany(oneOf(TRACKING_STATUSES, 'a tracking status'), 'status').optional(),
    carrier: oneOrMany(text('a carrier id such as laposte', /^[a-z0-9][a-z0-9-]*$/), 'carrier').optional(),
    channel: oneOrMany(text('a channel or a pattern such as web or mirakl:*', /^\S+$/), 'channel').optional(),
    value: strictObject({ ...bounds, currency })
      .refine(hasBound, BOUND_NEEDED)
      .transform((raw) => ({ ...toComparison(raw), currency: raw.currency }))
      .optional(),
    age: strictObject({ ...bounds, since: oneOf(AGE_ANCHORS, 'an age anchor') })
      .refine(hasBound, BOUND_NEEDED)
      .transform((raw) => ({ ...toComparison(raw), since: raw.since }))
      .optional(),
    contacts: strictObject(bounds).refine(hasBound, BOUND_NEEDED).transform(toComparison).optional(),
    case_age: strictObject(bounds).refine(hasBound, BOUND_NEEDED).transform(toComparison).optional(),
  };
}

const notEmpty = (value: object) => Object.values(value).some((matcher) => matcher !== undefined);

function whenSchema(thresholds: Thresholds) {
  const shape = matcherShape(thresholds);
  const none = strictObject(shape).refine(notEmpty, { error: 'give at least one matcher none of which may match' });
  const notAll = strictObject(shape).refine(notEmpty, { error: 'give at least one matcher, all of which together may not match' });
  const keys = [...Object.keys(shape), 'not', 'unless'].join(', ');
  return z.strictObject({ ...shape, not: none.optional(), unless: notAll.optional() }, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return `expected one of ${keys}`;
      return issue.input === undefined ? 'missing: add when: with at least one matcher' : undefined;
    },
  }).refine(notEmpty, {
    error: `a rule needs at least one matcher: ${keys}`,
  });
}

const whenExpression = z.string({ error: 'expected a time such as now or promise + 1 business day at 09:00' }).transform((input, context): WhenExpression => {
  const parsed = parseWhen(input);
  if ('error' in parsed) {
    context.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return parsed;
});

const reason = text('a reason: a sentence a manager reads').superRefine((input, context) => {
  const problem = checkTemplate(input);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});

/** Parameters each action needs, so a typo fails at start rather than when a parcel is late. */
const REQUIRED_PARAMS: Partial<Record<(typeof ACTIONS)[number], { key: string; pattern: RegExp; expected: string }>> = {
  carrier_claim: { key: 'type', pattern: new RegExp(`^(${CLAIM_TYPES.join('|')})$`), expected: `a claim type (${CLAIM_TYPES.join(', ')})` },
  customer_email: { key: 'template', pattern: /^[a-z][a-z0-9_]*$/, expected: 'a template name such as reshipped' },
  manager_case: { key: 'reason', pattern: /^[a-z][a-z0-9_]*$/, expected: 'a reason code such as contacts_above_target' },
};

const decision = strictObject({
  action: oneOf(ACTIONS, 'an action'),
  params: z.record(z.string(), z.union([z.string().superRefine(refinePlainText), z.number(), z.boolean()]), { error: 'expected a map of names to text, numbers or true/false' }).default({}),
  at: whenExpression.optional(),
  reason,
}).superRefine((value, context) => {
  const required = REQUIRED_PARAMS[value.action];
  if (!required) return;
  const given = value.params[required.key];
  if (given === undefined) context.addIssue({ code: 'custom', path: ['params'], message: `${value.action} needs params.${required.key}: ${required.expected}` });
  else if (!required.pattern.test(String(given))) context.addIssue({ code: 'custom', path: ['params', required.key], message: `${JSON.stringify(given)} is not ${required.expected}` });
});

function ruleSchema(thresholds: Thresholds) {
  return strictObject({
    id: text('an id: lower-case letters, digits and dashes, such as late-reship', /^[a-z0-9][a-z0-9-]*$/),
    description: text('a description: what the rule is for'),
    when: whenSchema(thresholds),
    then: z.array(decision, { error: (issue) => (issue.input === undefined ? 'missing: add then: with a list of decisions' : 'expected a list of decisions (- action: ...)') }).min(1, { error: 'give at least one decision' }),
  });
}

const carrierSettingsOverride = strictObject({
  scan_gap_hours: z.number({ error: 'expected hours: a number above 0' }).positive({ error: 'expected hours: a number above 0' }).optional(),
  lost_after_business_days: z.number({ error: 'expected business days: a whole number above 0' }).int({ error: 'expected business days: a whole number above 0' }).positive({ error: 'expected business days: a whole number above 0' }).optional(),
}).transform(({ scan_gap_hours, lost_after_business_days }) => ({
  ...(scan_gap_hours === undefined ? {} : { scanGapHours: scan_gap_hours }),
  ...(lost_after_business_days === undefined ? {} : { lostAfterBusinessDays: lost_after_business_days }),
}));

export function rulesFileSchema(thresholds: Thresholds) {
  return strictObject({
    version: z.literal(1, { error: 'expected version: 1 (the only format so far)' }).optional(),
    carriers: z.record(text('a carrier id such as laposte, or default', /^[a-z0-9][a-z0-9-]*$/), carrierSettingsOverride).default({}),
    rules: z.array(ruleSchema(thresholds), { error: (issue) => (issue.input === undefined ? 'missing: add rules: followed by a list of rules' : 'expected a list of rules (- id: ...)') }),
  });
}

export type RulesFile = z.output<ReturnType<typeof rulesFileSchema>>;
export type Rule = RulesFile['rules'][number];
export type Matchers = Rule['when'];
export type DecisionSpec = Rule['then'][number];
