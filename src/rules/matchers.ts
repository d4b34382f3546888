import { plural } from '../promise/describe-day.ts';
import type { MatchContext } from './match-context.ts';
import type { AgeAnchor, Bound, Comparison, Matchers } from './rule-schema.ts';

/** One matcher of a rule, judged: whether it held, and why in words (`rules explain`). */
export interface MatcherOutcome {
  matcher: string;
  matched: boolean;
  says: string;
}

type SimpleMatcher = Exclude<keyof Matchers, 'not' | 'unless'>;
type SimpleMatchers = Omit<Matchers, 'not' | 'unless'>;

const boundText = (bound: Bound) => (bound.name ? `${bound.name} (${bound.value})` : String(bound.value));

const TESTS: readonly [keyof Comparison, string, (actual: number, limit: number) => boolean][] = [
  ['above', 'above', (actual, limit) => actual > limit],
  ['atLeast', 'at least', (actual, limit) => actual >= limit],
  ['below', 'below', (actual, limit) => actual < limit],
  ['atMost', 'at most', (actual, limit) => actual <= limit],
];

/** Every bound given holds. */
function within(actual: number, comparison: Comparison): boolean {
  return TESTS.every(([key, , test]) => {
    const bound = comparison[key];
    return bound === undefined || test(actual, bound.value);
  });
}

/** `3 customer contacts: above CONTACTS_TARGET (2)`, each bound given with whether it held. */
function compared(actual: number, comparison: Comparison, subject: string): string {
  const checks = TESTS.flatMap(([key, words, test]) => {
    const bound = comparison[key];
    return bound ? [test(actual, bound.value) ? `${words} ${boundText(bound)}` : `not ${words} ${boundText(bound)}`] : [];
  });
  return `${subject}: ${checks.join(', ')}`;
}

function memberSays<T extends string>(name: string, actual: T, wanted: readonly T[], matched: boolean): string {
  const list = wanted.join(', ');
  return matched ? `${name} is ${actual}${wanted.length > 1 ? `, one of ${list}` : ''}` : `${name} is ${actual}, not ${wanted.length > 1 ? `one of ${list}` : list}`;
}

/** `mirakl:*` -> /^mirakl:.*$/; `?` is one character; everything else is literal. */
function globMatches(glob: string, value: string): boolean {
  const pattern = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`).test(value);
}

const channelOf = ({ facts }: MatchContext) => facts.shipment.channel ?? '';

const AGE_WORDS: Record<AgeAnchor, string> = { promise: 'the promise', first_scan: 'the first scan', last_scan: 'the last scan' };

type Spec<Key extends SimpleMatcher> = NonNullable<Matchers[Key]>;

/**
 * Whether each matcher holds. Kept apart from the words (SAYS) because a sweep asks only this, for
 * every rule and parcel: building every matcher's sentence cost about a tenth of a worker's CPU.
 */
const HOLDS: { [Key in SimpleMatcher]: (spec: Spec<Key>, context: MatchContext) => boolean } = {
  trigger: (wanted, { facts }) => wanted.includes(facts.trigger),
  verdict: (wanted, { facts }) => wanted.includes(facts.verdict.verdict),
  status: (wanted, { status }) => wanted.includes(status),
  carrier: (wanted, { facts }) => wanted.includes(facts.shipment.carrier),
  channel: (globs, context) => globs.some((glob) => globMatches(glob, channelOf(context))),
  value: (spec, { facts }) => {
    const { declaredValue, currency = 'EUR' } = facts.shipment;
    return declaredValue !== undefined && currency === spec.currency && within(declaredValue, spec);
  },
  age: (spec, { ageSince }) => {
    const days = ageSince[spec.since];
    return days !== undefined && within(days, spec);
  },
  contacts: (spec, { facts }) => within(facts.contacts.count, spec),
  case_age: (spec, { caseAge }) => caseAge !== undefined && within(caseAge, spec),
};

/** Each matcher's outcome in words, given whether it held (`rules explain`). */
const SAYS: { [Key in SimpleMatcher]: (spec: Spec<Key>, context: MatchContext, matched: boolean) => string } = {
  trigger: (wanted, { facts }, matched) => memberSays('trigger', facts.trigger, wanted, matched),
  verdict: (wanted, { facts }, matched) => memberSays('verdict', facts.verdict.verdict, wanted, matched),
  status: (wanted, { status }, matched) => memberSays('status', status, wanted, matched),
  carrier: (wanted, { facts }, matched) => memberSays('carrier', facts.shipment.carrier, wanted, matched),
  channel: (globs, context) => {
    const channel = channelOf(context);
    const hit = globs.find((glob) => globMatches(glob, channel));
    const shown = channel === '' ? 'no channel' : `channel ${channel}`;
    return hit ? `${shown} matches ${hit}` : `${shown} matches none of ${globs.join(', ')}`;
  },
  value: (spec, { facts }) => {
    const { declaredValue, currency = 'EUR' } = facts.shipment;
    if (declaredValue === undefined) return 'no declared value';
    const value = `declared value ${declaredValue.toFixed(2)} ${currency}`;
    if (currency !== spec.currency) return `${value} is not in ${spec.currency}: not compared`;
    return compared(declaredValue, spec, value);
  },
  age: (spec, { ageSince }) => {
    const days = ageSince[spec.since];
    if (days === undefined) return `no ${AGE_WORDS[spec.since].replace('the ', '')} to count from`;
    return compared(days, spec, `${plural(days, 'business day')} since ${AGE_WORDS[spec.since]}`);
  },
  contacts: (spec, { facts }) => compared(facts.contacts.count, spec, plural(facts.contacts.count, 'customer contact')),
  case_age: (spec, { caseAge }) => {
    if (caseAge === undefined) return 'no customer contact: no case open';
    return compared(caseAge, spec, `case open ${plural(caseAge, 'business day')} (since the first contact)`);
  },
};

/** The simple matchers, in the order of the README's matcher table. */
const NAMES = Object.keys(HOLDS) as SimpleMatcher[];

function holds(name: SimpleMatcher, matchers: SimpleMatchers, context: MatchContext): boolean {
  return (HOLDS[name] as (spec: unknown, context: MatchContext) => boolean)(matchers[name], context);
}

function allHold(matchers: SimpleMatchers, context: MatchContext): boolean {
  for (const name of NAMES) if (matchers[name] !== undefined && !holds(name, matchers, context)) return false;
  return true;
}

function anyHolds(matchers: SimpleMatchers, context: MatchContext): boolean {
  for (const name of NAMES) if (matchers[name] !== undefined && holds(name, matchers, context)) return true;
  return false;
}

/** Whether a rule's `when` holds, stopping at the first matcher that decides it (no words built). */
export function matchersHold(matchers: Matchers, context: MatchContext): boolean {
  return allHold(matchers, context) && !(matchers.not && anyHolds(matchers.not, context)) && !(matchers.unless && allHold(matchers.unless, context));
}

function judgeEach(matchers: SimpleMatchers, context: MatchContext): MatcherOutcome[] {
  return NAMES.filter((name) => matchers[name] !== undefined).map((name) => {
    const matched = holds(name, matchers, context);
    const says = (SAYS[name] as (spec: unknown, context: MatchContext, matched: boolean) => string)(matchers[name], context, matched);
    return { matcher: name, matched, says };
  });
}

/** Every matcher of a rule's `when`, each judged (none is skipped, so a trace says everything). */
export function judgeMatchers(matchers: Matchers, context: MatchContext): MatcherOutcome[] {
  const outcomes = judgeEach(matchers, context);
  if (matchers.not) {
    const inner = judgeEach(matchers.not, context);
    const hits = inner.filter((outcome) => outcome.matched);
    outcomes.push({
      matcher: 'not',
      matched: hits.length === 0,
      says: hits.length === 0 ? `none of these holds: ${inner.map((outcome) => outcome.says).join('; ')}` : `but ${hits.map((outcome) => outcome.says).join('; ')}`,
    });
  }
  if (matchers.unless) {
    const inner = judgeEach(matchers.unless, context);
    const all = inner.every((outcome) => outcome.matched);
    outcomes.push({
      matcher: 'unless',
      matched: !all,
      says: all ? `but all of these hold: ${inner.map((outcome) => outcome.says).join('; ')}` : `not all of these hold: ${inner.map((outcome) => outcome.says).join('; ')}`,
    });
  }
  return outcomes;
}
