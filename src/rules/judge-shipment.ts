import type { Shipment } from '../domain/shipment.ts';
import type { TrackingEvent } from '../domain/tracking-event.ts';
import { carrierSettings } from '../promise/carrier-settings.ts';
import { computeVerdict, type VerdictResult } from '../promise/compute-verdict.ts';
import type { LinkedShipment } from '../promise/shipment-as-of.ts';
import type { Decision } from '../domain/follow-up.ts';
import { decideRules, evaluateRules, type RulesEvaluation } from './evaluate-rules.ts';
import type { RuleSet } from './parse-rules.ts';
import type { Contacts, RuleFacts, Trigger } from './rule-facts.ts';

/** What the store knows about one shipment: all a verdict and the rules read. */
export interface ShipmentRecord {
  shipment: Shipment;
  /** Newest first. */
  events: readonly TrackingEvent[];
  contacts: Contacts;
  /** Reshipments of this shipment (empty until reshipments are linked). */
  reshipments: readonly LinkedShipment[];
}

export interface Judgement {
  verdict: VerdictResult;
  facts: RuleFacts;
  /** Every matched rule's decisions, in file order. */
  decisions: Decision[];
}

/** A judgement with every rule's trace: what `rules explain` shows. */
export interface ExplainedShipment {
  verdict: VerdictResult;
  facts: RuleFacts;
  evaluation: RulesEvaluation;
}

/** The verdict of a shipment at `now`, with the carrier's settings from the rules file, and all the rules read. */
function factsOf(ruleSet: RuleSet, record: ShipmentRecord, trigger: Trigger, now: Date): RuleFacts {
  const verdict = computeVerdict({
    shipment: record.shipment,
    events: record.events,
    now,
    settings: carrierSettings(record.shipment.carrier, ruleSet.carriers),
    reshipments: record.reshipments,
  });
  return { trigger, shipment: record.shipment, events: record.events, verdict, contacts: record.contacts };
}

/** The verdict of a shipment at `now`, then the rules' decisions over it: what checks and sweeps do. Pure. */
export function judgeShipment(ruleSet: RuleSet, record: ShipmentRecord, trigger: Trigger, now: Date): Judgement {
  const facts = factsOf(ruleSet, record, trigger, now);
  return { verdict: facts.verdict, facts, decisions: decideRules(ruleSet, facts, now) };
}

/** judgeShipment with why: every rule, matched or not, each matcher in words (`rules explain`). Pure. */
export function explainShipment(ruleSet: RuleSet, record: ShipmentRecord, trigger: Trigger, now: Date): ExplainedShipment {
  const facts = factsOf(ruleSet, record, trigger, now);
  return { verdict: facts.verdict, facts, evaluation: evaluateRules(ruleSet, facts, now) };
}
