import type { Logger } from 'pino';
import { CHECK_ACTION } from '../domain/follow-up.ts';
import type { Shipment } from '../domain/shipment.ts';
import type { TrackingEvent } from '../domain/tracking-event.ts';
import type { FollowUps } from '../followups/follow-ups.ts';
import { type FollowUpDecision, isFollowUpDecision } from '../followups/follow-ups.ts';
import type { Clock } from '../infra/clock.ts';
import type { VerdictResult } from '../promise/compute-verdict.ts';
import { judgeShipment } from '../rules/judge-shipment.ts';
import type { RuleSet } from '../rules/parse-rules.ts';
import type { Trigger } from '../rules/rule-facts.ts';
import { loadShipmentRecords } from '../store/load-shipment-record.ts';
import type { Store } from '../store/store.ts';

/** A shipment judged: its verdict, and the timeline it was judged on (newest first), which an agent's answer shows. */
export interface JudgedShipment {
  verdict: VerdictResult;
  events: readonly TrackingEvent[];
}

export interface JudgeDeps {
  rules: RuleSet;
  followUps: Pick<FollowUps, 'proposeAll'>;
  /** Queues a track job of the shipment at `at` (a rule's `check`). */
  scheduleCheck(shipment: Shipment, at: Date): Promise<void>;
  clock: Clock;
  logger: Logger;
}

/**
 * After a check: each shipment's verdict against its promise, then the rules over it, and what
 * they decided set going — follow-ups proposed (idempotent: the same decision again makes
 * nothing new) and checks queued. A reshipment's original is judged again with it: once both
 * are delivered the original's verdict is `delivered_twice`, although the original, final, is no
 * longer swept. Returns each shipment's verdict and timeline by id, originals included, for the
 * caller to store (the track processor stores the verdicts with the next checks, in one statement)
 * and to answer with (an agent's answer shows the timeline: read once, here).
 */
export async function judgeShipments(store: Store, shipments: readonly Shipment[], trigger: Trigger, deps: JudgeDeps): Promise<Map<number, JudgedShipment>> {
  const now = deps.clock.now();
  const originalIds = [...new Set(shipments.flatMap((shipment) => (shipment.reshipmentOf === undefined ? [] : [shipment.reshipmentOf])))];
  const originals = (await store.shipments.getMany(originalIds)).filter((original) => !shipments.some((shipment) => shipment.id === original.id));
  const judged = new Map<number, JudgedShipment>();
  const proposals: { shipment: Shipment; decision: FollowUpDecision }[] = [];
  for (const [group, groupTrigger] of [
    [shipments, trigger],
    [originals, 'check'],
  ] as const) {
    for (const record of await loadShipmentRecords(store, group, now)) {
      const { verdict, decisions } = judgeShipment(deps.rules, record, groupTrigger, now);
      judged.set(record.shipment.id, { verdict, events: record.events });
      for (const decision of decisions) {
        if (isFollowUpDecision(decision)) proposals.push({ shipment: record.shipment, decision });
        else if (decision.action === CHECK_ACTION) await deps.scheduleCheck(record.shipment, decision.at ? new Date(decision.at) : now);
      }
      if (decisions.length > 0) {
        deps.logger.info({ shipmentId: record.shipment.id, verdict: verdict.verdict, decisions: decisions.map((decision) => `${decision.ruleId}:${decision.action}`) }, 'rules decided');
      }
    }
  }
  // Proposed together: one statement for the whole batch's follow-ups instead of a transaction each.
  await deps.followUps.proposeAll(proposals);
  return judged;
}
