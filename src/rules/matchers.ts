import { plural } from '../promise/describe-day.ts';
import type { MatchContext } from './match-context.ts';
import type { AgeAnchor, Bound, Comparison, Matchers } from './rule-schema.ts';

/** One matcher of a rule, judged: whether it held, and why in words (`rules explain`). */
export interface MatcherOutcome {
  matcher: string;
  matched: boolean;
  says: string;
}

type Outcome = Omit<MatcherOutcome, 'matcher'>;

const boundText = (bound: Bound) => (bound.name ? `${bound.name} (${bound.value})` : String(bound.value));

const TESTS: readonly [keyof Comparison, string, (actual: number, limit: number) => boolean][] = [
  ['above', 'above', (actual, limit) => actual > limit],
  ['atLeast', 'at least', (actual, limit) => actual >= limit],
  ['below', 'below', (actual, limit) => actual < limit],
  ['atMost', 'at most', (actual, limit) => actual <= limit],
];

/** `3 customer contacts: above CONTACTS_TARGET (2)`; every bound given must hold. */
function compare(actual: number, comparison: Comparison, subject: string): Outcome {
  const checks = TESTS.flatMap(([key, words, test]) => {
    const bound = comparison[key];
    return bound ? [{ held: test(actual, bound.value), text: `${words} ${boundText(bound)}` }] : [];
  });
  const matched = checks.every((check) => check.held);
  return { matched, says: `${subject}: ${checks.map((check) => (check.held ? check.text : `not ${check.text}`)).join(', ')}` };
}

function member<T extends string>(name: string, actual: T, wanted: readonly T[]): Outcome {
  const matched = wanted.includes(actual);
  const list = wanted.join(', ');
  return { matched, says: matched ? `${name} is ${actual}${wanted.length > 1 ? `, one of ${list}` : ''}` : `${name} is ${actual}, not ${wanted.length > 1 ? `one of ${list}` : list}` };
}

/** `mirakl:*` -> /^mirakl:.*$/; `?` is one character; everything else is literal. */
function globMatches(glob: string, value: string): boolean {
  const pattern = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`).test(value);
}

const AGE_WORDS: Record<AgeAnchor, string> = { promise: 'the promise', first_scan: 'the first scan', last_scan: 'the last scan' };

type Judge<Key extends keyof Matchers> = (spec: NonNullable<Matchers[Key]>, context: MatchContext) => Outcome;

const JUDGES: { [Key in Exclude<keyof Matchers, 'not' | 'unless'>]: Judge<Key> } = {
  trigger: (wanted, { facts }) => member('trigger', facts.trigger, wanted),
  verdict: (wanted, { facts }) => member('verdict', facts.verdict.verdict, wanted),
  status: (wanted, { status }) => member('status', status, wanted),
  carrier: (wanted, { facts }) => member('carrier', facts.shipment.carrier, wanted),
  channel: (globs, { facts }) => {
    const channel = facts.shipment.channel ?? '';
    const hit = globs.find((glob) => globMatches(glob, channel));
    const shown = channel === '' ? 'no channel' : `channel ${channel}`;
    return { matched: hit !== undefined, says: hit ? `${shown} matches ${hit}` : `${shown} matches none of ${globs.join(', ')}` };
  },
  value: (spec, { facts }) => {
    const { declaredValue, currency = 'EUR' } = facts.shipment;
    if (declaredValue === undefined) return { matched: false, says: 'no declared value' };
    const value = `declared value ${declaredValue.toFixed(2)} ${currency}`;
    if (currency !== spec.currency) return { matched: false, says: `${value} is not in ${spec.currency}: not compared` };
    return compare(declaredValue, spec, value);
  },
  age: (spec, { ageSince }) => {
    const days = ageSince[spec.since];
    if (days === undefined) return { matched: false, says: `no ${AGE_WORDS[spec.since].replace('the ', '')} to count from` };
    return compare(days, spec, `${plural(days, 'business day')} since ${AGE_WORDS[spec.since]}`);
  },
  contacts: (spec, { facts }) => compare(facts.contacts.count, spec, plural(facts.contacts.count, 'customer contact')),
  case_age: (spec, { caseAge }) => {
    if (caseAge === undefined) return { matched: false, says: 'no customer contact: no case open' };
    return compare(caseAge, spec, `case open ${plural(caseAge, 'business day')} (since the first contact)`);
  },
};

function judgeEach(matchers: Omit<Matchers, 'not' | 'unless'>, context: MatchContext): MatcherOutcome[] {
  return (Object.keys(JUDGES) as (keyof typeof JUDGES)[]).flatMap((name) => {
    const spec = matchers[name];
    if (spec === undefined) return [];
    const judge = JUDGES[name] as Judge<typeof name>;
    return [{ matcher: name, ...judge(spec as never, context) }];
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
