import type { Decision } from '../domain/follow-up.ts';
import { type MatchContext, matchContext } from './match-context.ts';
import { judgeMatchers, type MatcherOutcome, matchersHold } from './matchers.ts';
import type { RuleSet } from './parse-rules.ts';
import { fillTemplate } from './reason-template.ts';
import type { RuleFacts } from './rule-facts.ts';
import type { DecisionSpec, Rule } from './rule-schema.ts';
import { isImmediate, resolveWhen } from './when-expression.ts';

/** What one rule made of one shipment: for `rules explain` and the audit trail. */
export interface RuleTrace {
  ruleId: string;
  description: string;
  matched: boolean;
  /** Every matcher of the rule, in the order of the README's matcher table. */
  matchers: MatcherOutcome[];
  decisions: Decision[];
  /** Decisions of a matched rule it could not make: their `at` needed a fact the shipment lacks. */
  skipped: string[];
}

export interface RulesEvaluation {
  /** Every matched rule's decisions, in file order. */
  decisions: Decision[];
  trace: RuleTrace[];
}

function placeholders(context: MatchContext, ruleSet: RuleSet): Record<string, string | number | undefined> {
  const { facts } = context;
  const { declaredValue, currency = 'EUR' } = facts.shipment;
  return {
    ...ruleSet.thresholds,
    verdict: facts.verdict.verdict,
    status: context.status,
    carrier: facts.shipment.carrier,
    contacts: facts.contacts.count,
    promised_by: facts.verdict.promisedBy,
    days_late: facts.verdict.businessDaysLate,
    case_age: context.caseAge,
    value: declaredValue === undefined ? undefined : `${declaredValue.toFixed(2)} ${currency}`,
  };
}

function decide(rule: Rule, spec: DecisionSpec, context: MatchContext, values: Record<string, string | number | undefined>): Decision | string {
  const decision: Decision = { ruleId: rule.id, action: spec.action, params: spec.params, reason: fillTemplate(spec.reason, values) };
  if (!spec.at || isImmediate(spec.at)) return decision;
  const resolved = resolveWhen(spec.at, context.anchors, context.calendar);
  if ('missing' in resolved) return `${spec.action}: no ${resolved.missing.join(' or ')} to compute "${spec.at.text}"`;
  return { ...decision, at: resolved.at.toISOString() };
}

/**
 * Every matched rule's decisions over one shipment's facts, in file order: what evaluateRules
 * decides, without its trace (the sweep's path: no matcher's words built, a rule given up at its
 * first matcher that fails).
 */
export function decideRules(ruleSet: RuleSet, facts: RuleFacts, now: Date): Decision[] {
  const context = matchContext(facts, now);
  let values: Record<string, string | number | undefined> | undefined;
  const decisions: Decision[] = [];
  for (const rule of ruleSet.rules) {
    if (!matchersHold(rule.when, context)) continue;
    values ??= placeholders(context, ruleSet);
    for (const spec of rule.then) {
      const made = decide(rule, spec, context, values);
      if (typeof made !== 'string') decisions.push(made);
    }
  }
  return decisions;
}

/**
 * Runs every rule over one shipment's facts, with a trace of every matcher (`rules explain`). A
 * rule matches when all its matchers hold; every matched rule's decisions are returned, in file
 * order (rules do not stop each other). Pure: no
 * I/O and no clock, `now` is given. Evaluating again decides the same follow-ups again; the
 * follow-up runtime keeps one per deterministic id, so a rule firing twice acts once.
 */
export function evaluateRules(ruleSet: RuleSet, facts: RuleFacts, now: Date): RulesEvaluation {
  const context = matchContext(facts, now);
  const values = placeholders(context, ruleSet);
  const trace = ruleSet.rules.map((rule): RuleTrace => {
    const matchers = judgeMatchers(rule.when, context);
    const matched = matchers.every((outcome) => outcome.matched);
    const made = matched ? rule.then.map((spec) => decide(rule, spec, context, values)) : [];
    return {
      ruleId: rule.id,
      description: rule.description,
      matched,
      matchers,
      decisions: made.filter((item): item is Decision => typeof item !== 'string'),
      skipped: made.filter((item): item is string => typeof item === 'string'),
    };
  });
  return { decisions: trace.flatMap((rule) => rule.decisions), trace };
}
