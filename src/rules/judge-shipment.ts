import type { Shipment } from '../domain/shipment.ts';
import type { TrackingEvent } from '../domain/tracking-event.ts';
import { carrierSettings } from '../promise/carrier-settings.ts';
import { computeVerdict, type VerdictResult } from '../promise/compute-verdict.ts';
import type { LinkedShipment } from '../promise/shipment-as-of.ts';
import { evaluateRules, type RulesEvaluation } from './evaluate-rules.ts';
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
  evaluation: RulesEvaluation;
}

/**
 * The verdict of a shipment at `now`, with the carrier's settings from the rules file, then the
 * rules over it: what every caller (follow-up runtime, scheduler, `rules explain`) does. Pure.
 */
export function judgeShipment(ruleSet: RuleSet, record: ShipmentRecord, trigger: Trigger, now: Date): Judgement {
  const verdict = computeVerdict({
    shipment: record.shipment,
    events: record.events,
    now,
    settings: carrierSettings(record.shipment.carrier, ruleSet.carriers),
    reshipments: record.reshipments,
  });
  const facts: RuleFacts = { trigger, shipment: record.shipment, events: record.events, verdict, contacts: record.contacts };
  return { verdict, facts, evaluation: evaluateRules(ruleSet, facts, now) };
}
