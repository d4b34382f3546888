import { followUpId } from '../followups/follow-up-id.ts';
import { isFollowUpDecision } from '../followups/follow-ups.ts';
import { judgeShipment } from '../rules/judge-shipment.ts';
import type { RuleSet } from '../rules/parse-rules.ts';
import type { Trigger } from '../rules/rule-facts.ts';
import { loadShipmentRecords } from '../store/load-shipment-record.ts';
import type { Store } from '../store/store.ts';
import type { Shipment } from '../domain/shipment.ts';

const SLICE = 500;

/**
 * The follow-ups the rules owe, from what the store knows at `now`: each judged shipment's record
 * (events, contacts, reshipments) run through the rules again, as the last check that judged it
 * did. By follow-up id (derived from shipment, kind, rule and parameters), so an id the store
 * lacks is a decision lost and one it has twice cannot exist.
 */
export async function expectedFollowUps(store: Store, rules: RuleSet, shipments: readonly Shipment[], triggerOf: (shipment: Shipment) => Trigger, now: Date): Promise<Map<string, { shipment: Shipment; kind: string; ruleId: string }>> {
  const expected = new Map<string, { shipment: Shipment; kind: string; ruleId: string }>();
  for (let start = 0; start < shipments.length; start += SLICE) {
    for (const record of await loadShipmentRecords(store, shipments.slice(start, start + SLICE), now)) {
      const { decisions } = judgeShipment(rules, record, triggerOf(record.shipment), now);
      for (const decision of decisions) {
        if (!isFollowUpDecision(decision)) continue;
        expected.set(followUpId(record.shipment.id, decision.action, decision.ruleId, decision.params), { shipment: record.shipment, kind: decision.action, ruleId: decision.ruleId });
      }
    }
  }
  return expected;
}
